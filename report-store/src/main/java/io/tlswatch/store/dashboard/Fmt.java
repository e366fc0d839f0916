package io.tlswatch.store.dashboard;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write times, counts and URL parts: {@code {fmt:when(x)}}, {@code {fmt:count(n)}}. */
@TemplateExtension(namespace = "fmt")
public final class Fmt {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    /** A moment in UTC to the minute, or a dash for none. */
    static String when(Instant instant) {
        return instant == null ? "—" : WHEN.format(instant);
    }

    static String day(Instant instant) {
        return instant == null ? "" : DAY.format(instant);
    }

    /** 12345 as "12,345". */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A path segment or query value (Qute escapes the HTML; this escapes the URL). */
    static String url(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A state's words for people. */
    static String state(String state) {
        return switch (state == null ? "" : state) {
            case "failing" -> "Failing";
            case "healthy" -> "Healthy";
            case "no-reports" -> "No reports yet";
            case "reporting-off" -> "TLS reporting off";
            default -> state;
        };
    }
}
