package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The period a report covers, in UTC. Date-times sent without a zone are read as UTC. */
public record DateRange(
        @JsonProperty("start-datetime") Instant start,
        @JsonProperty("end-datetime") Instant end) {
}
