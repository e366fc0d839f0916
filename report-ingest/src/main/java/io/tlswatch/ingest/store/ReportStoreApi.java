package io.tlswatch.ingest.store;

import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.tlswatch.tlsrpt.submission.StoreResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** report-store's internal API as ingest uses it ({@code quarkus.rest-client.report-store.url}). */
@RegisterRestClient(configKey = "report-store")
@Path("/internal/v1")
@ClientHeaderParam(name = "Authorization", value = "{authorization}")
interface ReportStoreApi {

    @POST
    @Path("/reports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<StoreResult> store(ReportSubmission submission);

    @GET
    @Path("/ping")
    Uni<Void> ping();

    default String authorization() {
        return "Bearer " + ConfigProvider.getConfig().getOptionalValue("tlswatch.internal-token", String.class).orElse("");
    }
}
