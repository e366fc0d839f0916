package io.tlswatch.store.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail. {@code errors} names each offending field when a request was invalid.
 */
// A Response entity, which Quarkus cannot see at build time: registered so a native image serialises it.
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field of a request: its name (JSON path) and what is wrong. */
    public record FieldError(String field, String message) {
    }

    public static Response.ResponseBuilder response(Response.Status status, String title, String detail) {
        return response(status, title, detail, null);
    }

    public static Response.ResponseBuilder response(Response.Status status, String title, String detail,
            List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status.getStatusCode(), detail, errors));
    }
}
