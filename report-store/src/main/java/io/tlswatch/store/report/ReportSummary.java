package io.tlswatch.store.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** One line of the report list. */
public record ReportSummary(
        @JsonProperty("id") long id,
        @JsonProperty("organization-name") String organizationName,
        @JsonProperty("report-id") String reportId,
        @JsonProperty("received-at") Instant receivedAt,
        @JsonProperty("channel") String channel,
        @JsonProperty("start-datetime") Instant start,
        @JsonProperty("end-datetime") Instant end,
        @JsonProperty("policy-domains") List<String> policyDomains,
        @JsonProperty("total-successful-session-count") long successfulSessions,
        @JsonProperty("total-failure-session-count") long failedSessions) {
}
