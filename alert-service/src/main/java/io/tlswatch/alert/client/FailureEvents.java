package io.tlswatch.alert.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** report-store's failure events ({@code GET /internal/v1/failure-events}) as the sweep reads them. */
public final class FailureEvents {

    private FailureEvents() {
    }

    /**
     * A page of events after a cursor.
     *
     * @param nextCursor      store it once the page is handled; it may move even when there are no events
     * @param more            cut at the limit: ask again at once
     * @param oldestPendingAt received-at of the oldest alertable report after the cursor asked with, or null
     */
    public record Page(
            @JsonProperty("events") List<Event> events,
            @JsonProperty("next-cursor") long nextCursor,
            @JsonProperty("more") boolean more,
            @JsonProperty("oldest-pending-at") Instant oldestPendingAt) {

        public Page {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** One (domain, report): a report with failed sessions for a domain whose TLS reporting is on. */
    public record Event(
            @JsonProperty("xid") long xid,
            @JsonProperty("domain") String domain,
            @JsonProperty("domain-id") long domainId,
            @JsonProperty("organisation-id") long organisationId,
            @JsonProperty("report") long report,
            @JsonProperty("organization-name") String organizationName,
            @JsonProperty("report-id") String reportId,
            @JsonProperty("date-range") DateRange dateRange,
            @JsonProperty("received-at") Instant receivedAt,
            @JsonProperty("failed-sessions") long failedSessions) {
    }

    public record DateRange(
            @JsonProperty("start-datetime") Instant start,
            @JsonProperty("end-datetime") Instant end) {
    }

    /** A consumer's durable position; 0 when never set. */
    public record Cursor(
            @JsonProperty("name") String name,
            @JsonProperty("position") long position,
            @JsonProperty("updated-at") Instant updatedAt) {
    }

    /** The body of {@code PUT /internal/v1/cursors/{name}}. */
    public record CursorUpdate(@JsonProperty("position") long position) {
    }
}
