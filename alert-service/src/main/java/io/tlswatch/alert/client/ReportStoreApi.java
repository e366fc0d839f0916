package io.tlswatch.alert.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.alerting.AlertContext;
import io.tlswatch.tlsrpt.alerting.AlertRequests;
import io.tlswatch.tlsrpt.alerting.AlertView;
import io.tlswatch.tlsrpt.alerting.Claim;
import io.tlswatch.tlsrpt.alerting.Cursor;
import io.tlswatch.tlsrpt.alerting.FailureEventPage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** report-store's internal API as the sweep uses it ({@code quarkus.rest-client.report-store.url}). */
@RegisterRestClient(configKey = "report-store")
@Path("/internal/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{authorization}")
interface ReportStoreApi {

    @GET
    @Path("/failure-events")
    Uni<FailureEventPage> failureEvents(@QueryParam("after") long after, @QueryParam("limit") int limit);

    @GET
    @Path("/cursors/{name}")
    Uni<Cursor> cursor(@PathParam("name") String name);

    @PUT
    @Path("/cursors/{name}")
    Uni<Cursor> advanceCursor(@PathParam("name") String name, Cursor.Update update);

    @POST
    @Path("/alerts/claims")
    Uni<Claim> claim(AlertRequests.ClaimRequest request);

    @POST
    @Path("/alerts/{id}/sent")
    Uni<AlertView> sent(@PathParam("id") long alertId, AlertRequests.Sent outcome);

    @POST
    @Path("/alerts/{id}/failed")
    Uni<AlertView> failed(@PathParam("id") long alertId, AlertRequests.Failed outcome);

    @POST
    @Path("/alerts/{id}/no-recipients")
    Uni<AlertView> noRecipients(@PathParam("id") long alertId, AlertRequests.NoRecipients outcome);

    /** {@code since} and {@code until} are RFC 3339 date-times; null leaves the choice to report-store. */
    @GET
    @Path("/domains/{domain}/alert-context")
    Uni<AlertContext> alertContext(@PathParam("domain") long domainId, @QueryParam("since") String since,
            @QueryParam("until") String until);

    @GET
    @Path("/ping")
    Uni<Void> ping();

    default String authorization() {
        return "Bearer " + ConfigProvider.getConfig().getOptionalValue("tlswatch.internal-token", String.class).orElse("");
    }

    /** report-store's answers that are not successes, as the four cases the sweep tells apart. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status == 409) {
            JsonNode problem = Problems.read(response);
            String reason = problem.path("reason").asText(null);
            Instant until = Problems.instant(problem, "suppressed-until", "in-flight-until", "retry-at");
            return new StoreException.Conflict(reason, until, problem.path("detail").asText(null));
        }
        if (status == 404) {
            return new StoreException.NotFound("report-store: " + Problems.read(response).path("detail").asText("not found"));
        }
        if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429) {
            return new StoreException.Refused("report-store refused the request (" + status + "): "
                    + Problems.read(response).path("detail").asText(""));
        }
        return new StoreException.Unavailable("report-store answered " + status, null);
    }

    /** Reads RFC 9457 bodies leniently: a body that is not the expected JSON reads as an empty problem. */
    final class Problems {
        private static final ObjectMapper JSON = new ObjectMapper();

        private Problems() {
        }

        static JsonNode read(Response response) {
            try {
                String body = response.readEntity(String.class);
                return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (RuntimeException | java.io.IOException e) {
                return JSON.createObjectNode();
            }
        }

        static Instant instant(JsonNode problem, String... fields) {
            for (String field : fields) {
                String value = problem.path(field).asText(null);
                if (value != null) {
                    try {
                        return OffsetDateTime.parse(value).toInstant();
                    } catch (DateTimeParseException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }
}
