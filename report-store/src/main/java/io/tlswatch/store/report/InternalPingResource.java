package io.tlswatch.store.report;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Lets report-ingest and alert-service check, for their readiness, that report-store answers and
 * accepts their internal token. 204, nothing else.
 */
@Path("/internal/v1/ping")
public class InternalPingResource {

    @GET
    public void ping() {
        // the token filter has already run
    }
}
