package io.tlswatch.store.event;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.tlsrpt.alerting.FailureEventPage;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** alert-service reads the failures stored since its cursor here (internal token). */
@Path("/internal/v1/failure-events")
@Produces(MediaType.APPLICATION_JSON)
public class FailureEventResource {

    static final int MAX_LIMIT = 1000;

    private final FailureEventRepository events;

    FailureEventResource(FailureEventRepository events) {
        this.events = events;
    }

    /**
     * Events of reports stored after {@code after} (a {@code next-cursor}; 0 for the beginning), at most
     * {@code limit} reports per page, but never splitting a storing transaction.
     */
    @GET
    public Uni<FailureEventPage> after(@QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (after < 0) {
            throw new InvalidRequestException("after", "must be 0 or a next-cursor");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return events.after(after, limit);
    }
}
