package io.tlswatch.store.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A page of failure events after a cursor.
 *
 * @param events          in commit-safe xid order; every event of a storing transaction is on one page
 * @param nextCursor      where the next page starts: store it (PUT /internal/v1/cursors/{name}) once
 *                        these events are handled; never lower than the cursor asked with
 * @param more            true when the page was cut at the limit (ask again at once)
 * @param oldestPendingAt received-at of the oldest alertable report after the cursor asked with,
 *                        including any held back behind a transaction still running; null when none
 */
public record FailureEventPage(
        @JsonProperty("events") List<FailureEvent> events,
        @JsonProperty("next-cursor") long nextCursor,
        @JsonProperty("more") boolean more,
        @JsonProperty("oldest-pending-at") Instant oldestPendingAt) {
}
