package io.tlswatch.store.report;

import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.TlsRptParser;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/** Stored reports for people and tools (admin token). */
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    private final ReportQueries queries;

    ReportResource(ReportQueries queries) {
        this.queries = queries;
    }

    /** Newest period first. {@code from}/{@code to} bound the report period's start (ISO-8601, to exclusive). */
    @GET
    public Uni<ReportPage> list(@QueryParam("domain") String domain, @QueryParam("from") Instant from,
            @QueryParam("to") Instant to, @QueryParam("unclaimed") @DefaultValue("false") boolean unclaimed,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return queries.list(new ReportQueries.Filter(domain, from, to, unclaimed, page, size));
    }

    @GET
    @Path("/{id}")
    public Uni<ReportView> find(@PathParam("id") long id) {
        return queries.find(id);
    }

    /** The payload exactly as the sender delivered it (gzip or JSON). */
    @GET
    @Path("/{id}/raw")
    @Produces({"application/gzip", MediaType.APPLICATION_JSON})
    public Uni<Response> raw(@PathParam("id") long id) {
        return queries.raw(id).map(payload -> rawDownload(id, payload));
    }

    /**
     * The payload as received, as a download named after the report: the API and the dashboard's
     * download link answer alike. nosniff, so that a browser never renders a hostile payload as HTML.
     */
    public static Response rawDownload(long id, byte[] payload) {
        boolean gzip = TlsRptParser.isGzip(payload);
        return Response.ok(payload, gzip ? "application/gzip" : MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"report-" + id + (gzip ? ".json.gz\"" : ".json\""))
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
