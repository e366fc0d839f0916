package io.tlswatch.alert.problem;

import io.smallrye.mutiny.CompositeException;
import io.tlswatch.alert.client.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves alert-service as application/problem+json, never as a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return Problem.response(status, status.getReasonPhrase(), status.getReasonPhrase()).build();
    }

    /** report-store cannot be read now: the sweep did what it could; try again later. */
    @ServerExceptionMapper
    public Response storeUnavailable(StoreException e) {
        LOG.warnf("Sweep stopped: %s", e.getMessage());
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "report-store unavailable",
                "The sweep could not read report-store; whatever it did before is kept. Try again later.")
                .header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response circuitOpen(CircuitBreakerOpenException e) {
        return storeUnavailable(new StoreException.Unavailable("circuit open", e));
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return storeUnavailable(new StoreException.Unavailable("timed out", e));
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable first = e.getCauses().isEmpty() ? e : e.getCauses().get(0);
        if (first instanceof WebApplicationException web) {
            return webApplication(web);
        }
        if (first instanceof StoreException store) {
            return storeUnavailable(store);
        }
        if (first instanceof CircuitBreakerOpenException || first instanceof TimeoutException) {
            return storeUnavailable(new StoreException.Unavailable(first.getMessage(), first));
        }
        return unexpected(first);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("Request failed", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be completed; the server log has the details").build();
    }
}
