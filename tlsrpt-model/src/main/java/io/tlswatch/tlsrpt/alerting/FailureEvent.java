package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tlswatch.tlsrpt.DateRange;
import java.time.Instant;

/**
 * One (domain, report) pair: a stored report with failed sessions in policies attributed to a domain
 * whose TLS reporting is on. A report with failures for two domains gives two events.
 *
 * @param xid             the storing transaction's id; cursors are positions in this order
 * @param domain          the registered domain (lower-case A-label)
 * @param report          report-store's id of the report ({@code /api/v1/reports/{id}})
 * @param reportId        the sender's report-id
 * @param dateRange       the period the report covers
 * @param failedSessions  failed sessions of this report's policies attributed to the domain
 */
public record FailureEvent(
        @JsonProperty("xid") long xid,
        @JsonProperty("domain") String domain,
        @JsonProperty("domain-id") long domainId,
        @JsonProperty("organisation-id") long organisationId,
        @JsonProperty("report") long report,
        @JsonProperty("organization-name") String organizationName,
        @JsonProperty("report-id") String reportId,
        @JsonProperty("date-range") DateRange dateRange,
        @JsonProperty("received-at") Instant receivedAt,
        @JsonProperty("failed-sessions") long failedSessions) {
}
