package io.tlswatch.tlsrpt.mail;

import io.tlswatch.tlsrpt.DomainNames;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The file name RFC 8460 §5.3 recommends for a report:
 * {@code sender!policy-domain!begin-timestamp!end-timestamp[!unique-id].json[.gz]}, timestamps in
 * seconds since the epoch. Informational only: when it disagrees with the report body, the body wins.
 */
public record ReportFileName(String sender, String policyDomain, Instant begin, Instant end, String uniqueId) {

    /** The parts of a conforming file name, or empty for any other name. */
    public static Optional<ReportFileName> parse(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String base = stripSuffix(fileName.strip());
        String[] parts = base.split("!", -1);
        if (parts.length != 4 && parts.length != 5) {
            return Optional.empty();
        }
        try {
            Instant begin = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            Instant end = Instant.ofEpochSecond(Long.parseLong(parts[3]));
            String sender = DomainNames.normalise(parts[0]);
            String domain = DomainNames.normalise(parts[1]);
            if (sender == null || domain == null) {
                return Optional.empty();
            }
            return Optional.of(new ReportFileName(sender, domain, begin, end, parts.length == 5 ? parts[4] : null));
        } catch (NumberFormatException | java.time.DateTimeException notTimestamps) {
            return Optional.empty();
        }
    }

    private static String stripSuffix(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String suffix : new String[] {".json.gz", ".json", ".gz"}) {
            if (lower.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
