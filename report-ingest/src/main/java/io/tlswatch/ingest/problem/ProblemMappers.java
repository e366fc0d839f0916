package io.tlswatch.ingest.problem;

import io.smallrye.mutiny.CompositeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves report-ingest as application/problem+json, never as a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** 413 for bodies past the limit, 415 for other media types, and any other status JAX-RS raises. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = switch (status.getStatusCode()) {
            case 413 -> "The report is larger than this endpoint accepts";
            case 415 -> "Send the report as application/tlsrpt+gzip or application/tlsrpt+json";
            default -> status.getReasonPhrase();
        };
        return Problem.response(status, status.getReasonPhrase(), detail, null).build();
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable first = e.getCauses().isEmpty() ? e : e.getCauses().get(0);
        return first instanceof WebApplicationException web ? webApplication(web) : unexpected(first);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("Request failed", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be completed; the server log has the details", null).build();
    }
}
