package io.tlswatch.store.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A domain at a glance. {@code state}: {@code failing} (failed sessions in the last 7 days),
 * {@code healthy} (reports, none failing in 7 days), {@code no-reports} (none yet), or
 * {@code reporting-off} (TLS reporting switched off: reports kept, never alerted).
 */
public record DomainStatus(
        @JsonProperty("name") String name,
        @JsonProperty("organisation-id") long organisationId,
        @JsonProperty("tls-reporting-enabled") boolean tlsReportingEnabled,
        @JsonProperty("state") String state,
        @JsonProperty("successful-sessions-7d") long successful7d,
        @JsonProperty("failed-sessions-7d") long failed7d,
        @JsonProperty("successful-sessions-30d") long successful30d,
        @JsonProperty("failed-sessions-30d") long failed30d,
        @JsonProperty("last-report-at") Instant lastReportAt,
        @JsonProperty("last-failure-at") Instant lastFailureAt,
        @JsonProperty("alert-suppressed-until") Instant alertSuppressedUntil) {

    public static final String FAILING = "failing";
    public static final String HEALTHY = "healthy";
    public static final String NO_REPORTS = "no-reports";
    public static final String REPORTING_OFF = "reporting-off";

    static String state(boolean reportingEnabled, Instant lastReportAt, long failed7d) {
        if (!reportingEnabled) {
            return REPORTING_OFF;
        }
        if (lastReportAt == null) {
            return NO_REPORTS;
        }
        return failed7d > 0 ? FAILING : HEALTHY;
    }
}
