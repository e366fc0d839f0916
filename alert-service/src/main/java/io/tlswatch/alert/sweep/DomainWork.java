package io.tlswatch.alert.sweep;

import io.tlswatch.tlsrpt.alerting.FailureEvent;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One domain's failure events to alert about, merged over the pages and sweeps that brought them.
 *
 * @param fromPosition     the cursor position before the earliest page holding one of these events: the
 *                         shared cursor may not pass it until the domain is handled
 * @param oldestReceivedAt when report-store received the oldest of these reports (for the age gauge)
 * @param earliestStart    the earliest start of the reports' periods (the mail must cover it)
 * @param latestStart      the latest start of the reports' periods
 * @param failedSessions   the failed sessions the events counted
 * @param reporters        the reporting organisations the events named
 */
record DomainWork(long domainId, String domain, long fromPosition, Instant oldestReceivedAt, Instant earliestStart,
        Instant latestStart, long failedSessions, List<String> reporters) {

    DomainWork {
        reporters = List.copyOf(reporters);
    }

    static DomainWork of(FailureEvent event, long fromPosition) {
        Instant start = event.dateRange() == null ? null : event.dateRange().start();
        return new DomainWork(event.domainId(), event.domain(), fromPosition, event.receivedAt(), start, start,
                event.failedSessions(), event.organizationName() == null ? List.of() : List.of(event.organizationName()));
    }

    /** Adds other events (of another report or page): their failed sessions add up. */
    DomainWork merge(DomainWork other) {
        return combine(other, failedSessions + other.failedSessions);
    }

    /**
     * The same domain's work as known twice (pending, and again by a sweep that had already merged the
     * pending part in): no count is added twice, nothing is lost, and the earliest position wins.
     */
    DomainWork union(DomainWork other) {
        return combine(other, Math.max(failedSessions, other.failedSessions));
    }

    private DomainWork combine(DomainWork other, long sessions) {
        Set<String> names = new LinkedHashSet<>(reporters);
        names.addAll(other.reporters);
        return new DomainWork(domainId, other.domain == null ? domain : other.domain,
                Math.min(fromPosition, other.fromPosition), min(oldestReceivedAt, other.oldestReceivedAt),
                min(earliestStart, other.earliestStart), max(latestStart, other.latestStart),
                sessions, names.stream().limit(50).toList());
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
