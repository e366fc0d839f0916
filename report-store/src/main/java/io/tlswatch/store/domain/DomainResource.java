package io.tlswatch.store.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Domains at a glance and one domain in depth (admin token). */
@Path("/api/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
public class DomainResource {

    private final DomainQueries queries;

    DomainResource(DomainQueries queries) {
        this.queries = queries;
    }

    /** Registered domains (failing first) and the policy-domains no organisation has registered yet. */
    public record DomainList(
            @JsonProperty("items") List<DomainStatus> items,
            @JsonProperty("unclaimed") List<UnclaimedDomain> unclaimed) {
    }

    @GET
    public Uni<DomainList> list() {
        return Uni.combine().all().unis(queries.statuses(), queries.unclaimed()).asTuple()
                .map(both -> new DomainList(both.getItem1(), both.getItem2()));
    }

    /** {@code domain} as U-label or A-label; {@code days}: the period of the breakdowns (default 30). */
    @GET
    @Path("/{domain}")
    public Uni<DomainDetail> detail(@PathParam("domain") String domain,
            @QueryParam("days") @DefaultValue("30") int days) {
        return queries.detail(domain, days);
    }
}
