package io.tlswatch.store.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** One domain: its status, where its failures come from over a period, and the record to publish. */
public record DomainDetail(
        @JsonProperty("status") DomainStatus status,
        @JsonProperty("period-start") Instant periodStart,
        @JsonProperty("period-end") Instant periodEnd,
        @JsonProperty("failures-by-result-type") List<Count> byResultType,
        @JsonProperty("failures-by-receiving-mx-host") List<Count> byReceivingMxHost,
        @JsonProperty("failures-by-receiving-ip") List<Count> byReceivingIp,
        @JsonProperty("sessions-by-reporter") List<ReporterSessions> byReporter,
        @JsonProperty("sessions-by-day") List<DaySessions> byDay,
        @JsonProperty("policies-seen") List<PolicySeen> policiesSeen,
        @JsonProperty("dns-record") TlsRptRecord dnsRecord) {

    /** Failed sessions for one value (null value: the senders did not say). */
    public record Count(@JsonProperty("value") String value, @JsonProperty("failed-sessions") long failedSessions) {
    }

    public record ReporterSessions(
            @JsonProperty("organization-name") String organizationName,
            @JsonProperty("reports") long reports,
            @JsonProperty("successful-sessions") long successfulSessions,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    public record DaySessions(
            @JsonProperty("day") LocalDate day,
            @JsonProperty("successful-sessions") long successfulSessions,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    /** A policy as the senders described it, with how many reports carried it and when last. */
    public record PolicySeen(
            @JsonProperty("policy-type") String policyType,
            @JsonProperty("policy-string") List<String> policyString,
            @JsonProperty("mx-host") List<String> mxHost,
            @JsonProperty("reports") long reports,
            @JsonProperty("last-seen") Instant lastSeen) {
    }
}
