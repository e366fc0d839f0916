package io.tlswatch.alert.client;

import java.time.Instant;

/**
 * What can go wrong talking to report-store, in the four ways the sweep treats differently. Only
 * {@link Unavailable} is retried and counts against the circuit breaker: the others are answers.
 */
public abstract sealed class StoreException extends RuntimeException {

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * 409: a claim refused ({@code suppressed}, {@code in-flight}, {@code retry-pending},
     * {@code tls-reporting-off}) or an outcome whose claim is no longer held ({@code claim-not-held}).
     *
     * @param until when the refusal ends (suppressed-until, in-flight-until or retry-at), when given
     */
    public static final class Conflict extends StoreException {
        public static final String SUPPRESSED = "suppressed";
        public static final String IN_FLIGHT = "in-flight";
        public static final String RETRY_PENDING = "retry-pending";
        public static final String TLS_REPORTING_OFF = "tls-reporting-off";
        public static final String CLAIM_NOT_HELD = "claim-not-held";

        private final String reason;
        private final Instant until;

        public Conflict(String reason, Instant until, String detail) {
            super("report-store refused: " + reason + (detail == null ? "" : " (" + detail + ")"), null);
            this.reason = reason == null ? "unknown" : reason;
            this.until = until;
        }

        public String reason() {
            return reason;
        }

        public Instant until() {
            return until;
        }
    }

    /** 404: the domain (or alert) is not registered (any more). */
    public static final class NotFound extends StoreException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** Another 4xx: report-store refused the request itself, and would refuse it again. */
    public static final class Refused extends StoreException {
        public Refused(String message) {
            super(message, null);
        }
    }

    /** report-store is down, slow, refusing our token, or the circuit is open: try again later. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
