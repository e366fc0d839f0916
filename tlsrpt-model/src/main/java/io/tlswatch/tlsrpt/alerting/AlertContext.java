package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tlswatch.tlsrpt.DateRange;
import java.time.Instant;
import java.util.List;

/**
 * What an alert mail needs about a domain ({@code GET /internal/v1/domains/{domain}/alert-context}): who
 * gets it, and what failed over a period. Every string in here except the ids came from a report or an
 * operator, so a mail treats it as untrusted. Lists are never null: a missing one reads as empty.
 *
 * @param recipients the organisation's alert addresses (empty: record the alert as no-recipients)
 */
public record AlertContext(
        @JsonProperty("domain") Domain domain,
        @JsonProperty("organisation") Organisation organisation,
        @JsonProperty("recipients") List<String> recipients,
        @JsonProperty("summary") Summary summary) {

    public AlertContext {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

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
     * by failed sessions, largest first, and is cut by report-store (at 50 entries).
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

        public Summary {
            resultTypes = resultTypes == null ? List.of() : List.copyOf(resultTypes);
            receivingMxHostnames = receivingMxHostnames == null ? List.of() : List.copyOf(receivingMxHostnames);
            receivingIps = receivingIps == null ? List.of() : List.copyOf(receivingIps);
            reporters = reporters == null ? List.of() : List.copyOf(reporters);
            policies = policies == null ? List.of() : List.copyOf(policies);
        }
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

        public Policy {
            policyString = policyString == null ? List.of() : List.copyOf(policyString);
            mxHost = mxHost == null ? List.of() : List.copyOf(mxHost);
        }
    }
}
