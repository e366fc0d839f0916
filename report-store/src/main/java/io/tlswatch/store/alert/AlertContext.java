package io.tlswatch.store.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What an alert mail needs about a domain: who gets it, and what failed over a period.
 *
 * @param recipients the organisation's alert addresses (empty: record the alert as no-recipients)
 */
public record AlertContext(
        @JsonProperty("domain") Domain domain,
        @JsonProperty("organisation") Organisation organisation,
        @JsonProperty("recipients") List<String> recipients,
        @JsonProperty("summary") Summary summary) {

    public record Domain(
            @JsonProperty("id") long id,
            @JsonProperty("name") String name,
            @JsonProperty("tls-reporting-enabled") boolean tlsReportingEnabled) {
    }

    public record Organisation(@JsonProperty("id") long id, @JsonProperty("name") String name) {
    }

    /**
     * The domain's reports whose period starts in [since, until). Session counts come from the
     * policies' summaries; the breakdowns from their failure details (which senders may leave
     * incomplete, so the breakdowns need not add up to {@code failed-sessions}). Each list is sorted
     * by failed sessions, largest first, and holds at most {@value AlertContextService#TOP} entries.
     *
     * @param dateRange the period the reports cover (earliest start, latest end); null when no report
     */
    public record Summary(
            @JsonProperty("since") Instant since,
            @JsonProperty("until") Instant until,
            @JsonProperty("reports") long reports,
            @JsonProperty("successful-sessions") long successfulSessions,
            @JsonProperty("failed-sessions") long failedSessions,
            @JsonProperty("date-range") DateRange dateRange,
            @JsonProperty("result-types") List<ResultType> resultTypes,
            @JsonProperty("receiving-mx-hostnames") List<MxHost> receivingMxHostnames,
            @JsonProperty("receiving-ips") List<ReceivingIp> receivingIps,
            @JsonProperty("reporters") List<Reporter> reporters,
            @JsonProperty("policies") List<Policy> policies) {
    }

    public record DateRange(
            @JsonProperty("start-datetime") Instant start,
            @JsonProperty("end-datetime") Instant end) {
    }

    public record ResultType(
            @JsonProperty("result-type") String resultType,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    /** A receiving MX as reporters named it, lower-cased and without a trailing dot. */
    public record MxHost(
            @JsonProperty("hostname") String hostname,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    public record ReceivingIp(
            @JsonProperty("ip") String ip,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    /** A reporting organisation ({@code organization-name}). */
    public record Reporter(
            @JsonProperty("organization-name") String organizationName,
            @JsonProperty("reports") long reports,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    /** A policy as the senders saw it: what the root-cause hints compare the failures with. */
    public record Policy(
            @JsonProperty("policy-type") String policyType,
            @JsonProperty("policy-domain") String policyDomain,
            @JsonProperty("policy-string") List<String> policyString,
            @JsonProperty("mx-host") List<String> mxHost,
            @JsonProperty("reports") long reports,
            @JsonProperty("failed-sessions") long failedSessions) {
    }
}
