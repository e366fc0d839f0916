package io.tlswatch.ingest.store;

import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.tlswatch.tlsrpt.submission.StoreResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * report-store's internal API as ingest uses it ({@code quarkus.rest-client.report-store.url}). The
 * caller passes the Authorization header, built once from the internal token: looking the token up in
 * the configuration for every request cost more than the rest of the request's headers.
 */
@RegisterRestClient(configKey = "report-store")
@Path("/internal/v1")
interface ReportStoreApi {

    @POST
    @Path("/reports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<StoreResult> store(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ReportSubmission submission);

    @GET
    @Path("/ping")
    Uni<Void> ping(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
