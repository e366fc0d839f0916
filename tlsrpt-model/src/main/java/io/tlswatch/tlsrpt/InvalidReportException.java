package io.tlswatch.tlsrpt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one error {@link TlsRptParser} throws: the payload is not a report we can accept. The message
 * names every offending field by its JSON path, e.g. {@code policies[0].summary: missing}, so a sender
 * or operator can act on it; {@link #reason()} says what kind of failure it is (for status codes and
 * metrics).
 */
public final class InvalidReportException extends RuntimeException {

    /** What went wrong, coarse enough to count and to map onto a protocol answer. */
    public enum Reason {
        /** Larger than {@link ParserLimits#maxCompressedBytes()}. */
        COMPRESSED_TOO_LARGE(true),
        /** Inflates past {@link ParserLimits#maxDecompressedBytes()} or the compression ratio. */
        DECOMPRESSED_TOO_LARGE(true),
        /** Neither gzip nor a JSON document. */
        UNKNOWN_FORMAT(false),
        /** gzip that is corrupt or truncated. */
        BAD_GZIP(false),
        /** Not well-formed JSON, invalid UTF-8, or nested or stringed past the limits. */
        BAD_JSON(false),
        /** Well-formed JSON that is not a TLS report (missing or ill-typed fields). */
        NOT_A_REPORT(false);

        private final boolean tooLarge;

        Reason(boolean tooLarge) {
            this.tooLarge = tooLarge;
        }

        /** True when the payload was refused for its size (HTTP 413), not its content (400). */
        public boolean tooLarge() {
            return tooLarge;
        }

        /** A short stable name for metrics and logs, e.g. {@code not-a-report}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One offending field: its JSON path (empty for the whole document) and what is wrong with it. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    private final Reason reason;
    private final List<Problem> problems;

    public InvalidReportException(Reason reason, List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")), null, false, false);
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    public InvalidReportException(Reason reason, String path, String message) {
        this(reason, List.of(new Problem(path, message)));
    }

    public Reason reason() {
        return reason;
    }

    public List<Problem> problems() {
        return problems;
    }
}
