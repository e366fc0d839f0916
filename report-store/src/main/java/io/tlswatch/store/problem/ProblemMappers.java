package io.tlswatch.store.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.smallrye.mutiny.CompositeException;
import io.tlswatch.store.alert.AlertConflictException;
import io.tlswatch.tlsrpt.InvalidReportException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves report-store as application/problem+json, never as a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return Problem.response(Response.Status.BAD_REQUEST, "Invalid request", e.getMessage(), e.errors()).build();
    }

    /** A submitted payload that is not a report (ingest checks first, so this is rare). */
    @ServerExceptionMapper
    public Response invalidReport(InvalidReportException e) {
        Response.Status status = e.reason().tooLarge() ? Response.Status.REQUEST_ENTITY_TOO_LARGE
                : Response.Status.BAD_REQUEST;
        return Problem.response(status, "Not an acceptable TLS report", e.getMessage(),
                e.problems().stream().map(p -> new Problem.FieldError(p.path(), p.message())).toList()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "Not found", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return Problem.response(Response.Status.CONFLICT, "Conflict", e.getMessage(), e.errors()).build();
    }

    /**
     * A body that is not JSON, or a field of the wrong type: a problem naming the field, where the
     * built-in mapper would answer a bare 400. The specific types are named because quarkus-rest-jackson
     * maps them itself, and the most specific mapper wins.
     */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, JsonParseException.class})
    public Response unreadableBody(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                        : String.valueOf(r.getIndex())).collect(Collectors.joining("."))
                : null;
        if (field == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "Invalid request", e instanceof JsonMappingException
                    ? "The body is not the JSON object this request takes" : "The body is not valid JSON").build();
        }
        return Problem.response(Response.Status.BAD_REQUEST, "Invalid request", field + ": wrong type",
                List.of(new Problem.FieldError(field, "wrong type"))).build();
    }

    /** A claim that cannot be won now, or an outcome for a claim no longer held: 409 with reason and time. */
    @ServerExceptionMapper
    public Response alertConflict(AlertConflictException e) {
        return Response.status(Response.Status.CONFLICT).type(Problem.MEDIA_TYPE).entity(e.problem()).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(),
                        e.getMessage(), null))
                .build();
    }

    /** Mutiny reports combined failures together; the first one decides the answer. */
    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable first = e.getCauses().isEmpty() ? e : e.getCauses().get(0);
        if (first instanceof InvalidRequestException invalid) {
            return invalidRequest(invalid);
        }
        if (first instanceof InvalidReportException invalidReport) {
            return invalidReport(invalidReport);
        }
        if (first instanceof NotFoundException notFound) {
            return notFound(notFound);
        }
        if (first instanceof ConflictException conflict) {
            return conflict(conflict);
        }
        if (first instanceof AlertConflictException alertConflict) {
            return alertConflict(alertConflict);
        }
        if (first instanceof WebApplicationException web) {
            return webApplication(web);
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
