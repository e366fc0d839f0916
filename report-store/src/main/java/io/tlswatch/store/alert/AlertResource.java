package io.tlswatch.store.alert;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.InvalidRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Alert history for people and the dashboard (admin token). */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    static final int MAX_SIZE = 500;

    private final AlertService alerts;

    AlertResource(AlertService alerts) {
        this.alerts = alerts;
    }

    /**
     * {@code {"items": [...], "page", "size", "total"}}, newest claim first: one domain's alerts (by name
     * or id; 404 when not registered) or, without {@code domain}, all. {@code page} counts from 0.
     */
    @GET
    public Uni<AlertPage> history(@QueryParam("domain") String domain,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0) {
            throw new InvalidRequestException("page", "must not be negative (the first page is 0)");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidRequestException("size", "must be between 1 and " + MAX_SIZE);
        }
        DomainRef ref = domain == null || domain.isBlank() ? null : DomainRef.parse(domain);
        return alerts.history(ref, page, size);
    }
}
