package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A normalised SMTP TLS report (RFC 8460 §4). Serialised with the RFC's own field names; whatever a
 * sender got wrong in a way {@link TlsRptParser} forgives is already mended here, and the counts are
 * exactly as sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"organization-name", "date-range", "contact-info", "report-id", "policies"})
public record TlsReport(
        @JsonProperty("organization-name") String organizationName,
        @JsonProperty("date-range") DateRange dateRange,
        @JsonProperty("contact-info") String contactInfo,
        @JsonProperty("report-id") String reportId,
        @JsonProperty("policies") List<PolicyResult> policies) {

    public TlsReport {
        policies = List.copyOf(policies);
    }

    /** Sum of {@code total-failure-session-count} over all policies, as sent. */
    public long totalFailureSessionCount() {
        return policies.stream().mapToLong(p -> p.summary().totalFailureSessionCount()).sum();
    }

    /** Sum of {@code total-successful-session-count} over all policies, as sent. */
    public long totalSuccessfulSessionCount() {
        return policies.stream().mapToLong(p -> p.summary().totalSuccessfulSessionCount()).sum();
    }
}
