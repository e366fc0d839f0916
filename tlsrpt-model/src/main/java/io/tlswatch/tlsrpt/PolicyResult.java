package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One element of a report's {@code policies}: the policy the sender applied and how sessions fared. */
@JsonPropertyOrder({"policy", "summary", "failure-details"})
public record PolicyResult(
        @JsonProperty("policy") Policy policy,
        @JsonProperty("summary") Summary summary,
        @JsonProperty("failure-details") List<FailureDetail> failureDetails) {

    public PolicyResult {
        failureDetails = failureDetails == null ? List.of() : List.copyOf(failureDetails);
    }
}
