package io.tlswatch.store.alert;

import io.tlswatch.store.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Alert conflicts leave as 409 application/problem+json carrying their reason and end time. */
public class AlertProblemMapper {

    @ServerExceptionMapper
    public Response conflict(AlertConflictException e) {
        return Response.status(Response.Status.CONFLICT).type(Problem.MEDIA_TYPE).entity(e.problem()).build();
    }
}
