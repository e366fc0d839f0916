package io.tlswatch.store.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A policy-domain that reports name but no organisation has registered: kept, listed, never alerted. */
public record UnclaimedDomain(
        @JsonProperty("policy-domain") String policyDomain,
        @JsonProperty("reports") long reports,
        @JsonProperty("failed-sessions") long failedSessions,
        @JsonProperty("last-report-at") Instant lastReportAt) {
}
