package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A page of failure events after a cursor ({@code GET /internal/v1/failure-events}).
 *
 * @param events          in commit-safe xid order; every event of a storing transaction is on one page;
 *                        never null (a missing list reads as empty)
 * @param nextCursor      where the next page starts: store it (PUT /internal/v1/cursors/{name}) once
 *                        these events are handled; never lower than the cursor asked with, and it may
 *                        move even when there are no events
 * @param more            true when the page was cut at the limit (ask again at once)
 * @param oldestPendingAt received-at of the oldest alertable report after the cursor asked with,
 *                        including any held back behind a transaction still running; null when none
 */
public record FailureEventPage(
        @JsonProperty("events") List<FailureEvent> events,
        @JsonProperty("next-cursor") long nextCursor,
        @JsonProperty("more") boolean more,
        @JsonProperty("oldest-pending-at") Instant oldestPendingAt) {

    public FailureEventPage {
        events = events == null ? List.of() : List.copyOf(events);
    }
}
