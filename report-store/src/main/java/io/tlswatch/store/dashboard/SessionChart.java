package io.tlswatch.store.dashboard;

import io.tlswatch.store.domain.DomainDetail.DaySessions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions per day as bars for an inline SVG: successful (below) and failed (stacked on top), one slot per
 * UTC day of the period, empty days included so gaps show. Only numbers and dates go into the SVG; the
 * template writes it, so nothing here is HTML.
 */
public record SessionChart(int width, int height, int plotTop, int plotBottom, long max, List<Bar> bars,
        String firstDay, String lastDay, long successful, long failed) {

    static final int WIDTH = 720;
    static final int HEIGHT = 180;
    static final int TOP = 18;
    static final int BOTTOM = 150;

    /**
     * @param okY, okHeight     the successful part of the bar
     * @param failY, failHeight the failed part, above it
     */
    public record Bar(String day, double x, double width, double okY, double okHeight, double failY,
            double failHeight, long successful, long failed) {

        public String label() {
            return day + ": " + Fmt.count(successful) + " successful, " + Fmt.count(failed) + " failed sessions";
        }
    }

    static SessionChart of(List<DaySessions> days, Instant periodStart, Instant periodEnd) {
        LocalDate first = periodStart.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = periodEnd.atZone(ZoneOffset.UTC).toLocalDate();
        Map<LocalDate, DaySessions> byDay = new HashMap<>();
        days.forEach(d -> byDay.put(d.day(), d));
        List<LocalDate> slots = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            slots.add(d);
        }
        long max = 0;
        long successful = 0;
        long failed = 0;
        for (DaySessions d : days) {
            max = Math.max(max, d.successfulSessions() + d.failedSessions());
        }
        for (LocalDate d : slots) {
            DaySessions s = byDay.get(d);
            if (s != null) {
                successful += s.successfulSessions();
                failed += s.failedSessions();
            }
        }
        double slot = (double) WIDTH / Math.max(1, slots.size());
        double plot = BOTTOM - TOP;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            DaySessions s = byDay.get(slots.get(i));
            long ok = s == null ? 0 : s.successfulSessions();
            long bad = s == null ? 0 : s.failedSessions();
            double okHeight = max == 0 ? 0 : plot * ok / max;
            double failHeight = max == 0 ? 0 : plot * bad / max;
            // A failed day stays visible however small its share.
            if (bad > 0 && failHeight < 2) {
                failHeight = 2;
            }
            double okY = BOTTOM - okHeight;
            bars.add(new Bar(slots.get(i).toString(), round(i * slot + slot * 0.15), round(slot * 0.7),
                    round(okY), round(okHeight), round(okY - failHeight), round(failHeight), ok, bad));
        }
        return new SessionChart(WIDTH, HEIGHT, TOP, BOTTOM, max, bars, first.toString(), last.toString(),
                successful, failed);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
