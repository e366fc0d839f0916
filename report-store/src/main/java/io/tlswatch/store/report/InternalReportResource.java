package io.tlswatch.store.report;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.tlswatch.tlsrpt.submission.StoreResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** report-ingest hands reports over here (internal token). The answer comes after the commit. */
@Path("/internal/v1/reports")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
// StoreResult (tlsrpt-model, no Quarkus there) is a Response entity, which Quarkus cannot see at build
// time: registered so a native image serialises it.
@RegisterForReflection(targets = StoreResult.class)
public class InternalReportResource {

    private final ReportStore store;

    InternalReportResource(ReportStore store) {
        this.store = store;
    }

    /** 201 with {@code {"id", "duplicate": false}} when new; 200 with {@code "duplicate": true} when not. */
    @POST
    public Uni<Response> store(ReportSubmission submission) {
        return store.store(submission).map(result -> Response
                .status(result.duplicate() ? Response.Status.OK : Response.Status.CREATED)
                .entity(result).build());
    }
}
