package io.tlswatch.store.alert;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.config.StoreConfig;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.tlsrpt.alerting.AlertContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** What alert-service needs to write a domain's alert: recipients and a failure summary (internal token). */
@Path("/internal/v1/domains/{domain}/alert-context")
@Produces(MediaType.APPLICATION_JSON)
public class AlertContextResource {

    private final AlertContextService contexts;
    private final Clock clock;
    private final Duration window;

    AlertContextResource(AlertContextService contexts, Clock clock, StoreConfig config) {
        this.contexts = contexts;
        this.clock = clock;
        this.window = config.alert().suppressionWindow();
    }

    /**
     * The domain (name or id) with its organisation and recipients, and the summary of its reports
     * whose period starts in [since, until): {@code until} defaults to now, {@code since} to until minus
     * the suppression window. Both are RFC 3339 date-times with a zone.
     */
    @GET
    public Uni<AlertContext> context(@PathParam("domain") String domain, @QueryParam("since") String since,
            @QueryParam("until") String until) {
        Instant end = until == null ? clock.instant().truncatedTo(ChronoUnit.MICROS) : instant("until", until);
        Instant start = since == null ? end.minus(window) : instant("since", since);
        if (!start.isBefore(end)) {
            throw new InvalidRequestException("since", "must be before until");
        }
        return contexts.context(DomainRef.parse(domain), start, end);
    }

    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "not a date-time with a zone, e.g. 2026-01-31T00:00:00Z");
        }
    }
}
