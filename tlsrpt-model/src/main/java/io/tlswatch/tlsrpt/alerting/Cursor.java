package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A consumer's durable position in the failure events ({@code /internal/v1/cursors/{name}}).
 *
 * @param position  0 when never set
 * @param updatedAt when the position last moved; null when never set
 */
public record Cursor(
        @JsonProperty("name") String name,
        @JsonProperty("position") long position,
        @JsonProperty("updated-at") Instant updatedAt) {

    /** The body of {@code PUT /internal/v1/cursors/{name}}; a missing position is refused. */
    public record Update(@JsonProperty("position") Long position) {
    }
}
