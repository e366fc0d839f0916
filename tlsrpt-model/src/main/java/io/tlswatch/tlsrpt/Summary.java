package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Session counts for one policy, exactly as the sender reported them (never reconciled). */
public record Summary(
        @JsonProperty("total-successful-session-count") long totalSuccessfulSessionCount,
        @JsonProperty("total-failure-session-count") long totalFailureSessionCount) {
}
