package io.tlswatch.ingest.http;

import io.smallrye.mutiny.Uni;
import io.tlswatch.ingest.config.IngestConfig;
import io.tlswatch.ingest.intake.ClientRateLimiter;
import io.tlswatch.ingest.intake.Outcome;
import io.tlswatch.ingest.intake.ReportIntake;
import io.tlswatch.ingest.problem.Problem;
import io.tlswatch.ingest.store.ReportStoreClient.StoreUnavailableException;
import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code POST /v1/tlsrpt}, the https: address of a domain's rua (RFC 8460 §5.4). The body is gzip or
 * JSON whatever the declared type (§6.5); a 2xx comes only after report-store has committed the
 * report, and a 503 with Retry-After when it cannot, so the sender retries (§5.4: up to 24 h).
 */
@Path("/v1/tlsrpt")
public class TlsRptResource {

    /** Seconds a sender should wait when the store is down: senders back off on their own anyway. */
    static final String STORE_RETRY_AFTER = "60";

    private final ReportIntake intake;
    private final ClientRateLimiter rateLimiter;

    TlsRptResource(ReportIntake intake, IngestConfig config) {
        this.intake = intake;
        this.rateLimiter = new ClientRateLimiter(config.ingest().rateLimit().requestsPerSecond(),
                config.ingest().rateLimit().burst());
    }

    /**
     * Per client address, before the body is read. Behind a proxy, the address is the forwarded one
     * only when quarkus.http.proxy.* trusts that proxy.
     */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> rateLimit(ContainerRequestContext context, HttpServerRequest request) {
        if (!"POST".equals(context.getMethod()) || !context.getUriInfo().getPath().startsWith("/v1/tlsrpt")) {
            return Optional.empty();
        }
        String client = clientAddress(request);
        long waitSeconds = rateLimiter.tryAcquire(client);
        if (waitSeconds == 0) {
            return Optional.empty();
        }
        intake.refused(ReportSubmission.HTTPS, "rate-limited", client, "over the per-client rate");
        return Optional.of(Problem.response(Response.Status.TOO_MANY_REQUESTS, "Too many reports",
                        "Too many reports from " + client + "; retry after " + waitSeconds + " s", null)
                .header(HttpHeaders.RETRY_AFTER, waitSeconds).build());
    }

    @POST
    @Consumes({"application/tlsrpt+gzip", "application/tlsrpt+json", MediaType.APPLICATION_JSON, "application/gzip",
            MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(byte[] body, HttpServerRequest request) {
        return intake.submit(ReportSubmission.HTTPS, body, clientAddress(request), null)
                .map(TlsRptResource::answer)
                .onFailure(StoreUnavailableException.class).recoverWithItem(() -> Problem.response(
                                Response.Status.SERVICE_UNAVAILABLE, "Report not stored",
                                "The report could not be stored now; send it again later", null)
                        .header(HttpHeaders.RETRY_AFTER, STORE_RETRY_AFTER).build());
    }

    private static Response answer(Outcome outcome) {
        return switch (outcome.kind()) {
            case STORED -> Response.status(Response.Status.CREATED).entity(outcome.result()).build();
            case DUPLICATE -> Response.ok(outcome.result()).build();
            case INVALID -> {
                InvalidReportException error = outcome.error();
                yield Problem.response(error.reason().tooLarge() ? Response.Status.REQUEST_ENTITY_TOO_LARGE
                                : Response.Status.BAD_REQUEST,
                        error.reason().tooLarge() ? "Report too large" : "Not a TLS report", error.getMessage(),
                        error.problems().stream().map(p -> new Problem.FieldError(p.path(), p.message())).toList())
                        .build();
            }
        };
    }

    private static String clientAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
