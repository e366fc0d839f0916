package io.tlswatch.store.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.store.report.ReportPage;
import io.tlswatch.store.report.ReportQueries;
import io.tlswatch.store.report.ReportView;
import io.tlswatch.tlsrpt.FailureDetail;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.store.report.ReportResource;
import io.tlswatch.tlsrpt.TlsRptParser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.io.ByteArrayInputStream;

/** The report list with its filters, one report in full, and its payload as received. */
@Path("/reports")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({DashboardUser.ADMIN, DashboardUser.VIEWER})
public class ReportPagesResource {

    static final int PAGE_SIZE = 50;
    /** Failure-detail rows shown on the page; the download has them all. */
    static final int MAX_DETAIL_ROWS = 500;
    /** Characters of pretty-printed raw JSON shown on the page; the download has it all. */
    static final int MAX_RAW_CHARS = 1_000_000;

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The filters as the form sent them, to fill it in again. */
    public record Filters(String domain, String from, String to, boolean unclaimed) {

        /** The query string for page {@code page} with the same filters. */
        public String query(int page) {
            StringBuilder q = new StringBuilder("?page=").append(page);
            if (domain != null && !domain.isBlank()) {
                q.append("&domain=").append(Fmt.url(domain));
            }
            if (from != null && !from.isBlank()) {
                q.append("&from=").append(Fmt.url(from));
            }
            if (to != null && !to.isBlank()) {
                q.append("&to=").append(Fmt.url(to));
            }
            if (unclaimed) {
                q.append("&unclaimed=true");
            }
            return q.toString();
        }
    }

    /** Where the pager leads: pages count from 0, {@code current} from 1; null where there is no page. */
    public record Pager(int current, long pages, Integer newer, Integer older) {

        static Pager of(ReportPage page) {
            long pages = Math.max(1, (page.total() + page.size() - 1) / page.size());
            return new Pager(page.page() + 1, pages, page.page() > 0 ? page.page() - 1 : null,
                    page.page() + 1 < pages ? page.page() + 1 : null);
        }
    }

    /** One row of the failure-details table, with the policy it belongs to. */
    public record DetailRow(int policy, FailureDetail detail) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance reports(Viewer viewer, Filters filters, ReportPage page, Pager pager,
                String error);

        static native TemplateInstance report(Viewer viewer, ReportView report, List<DetailRow> details,
                long totalDetails, String rawJson, boolean rawTruncated, boolean gzip, long rawBytes);

        static native TemplateInstance notFound(Viewer viewer, long id);
    }

    private final ReportQueries queries;
    private final SecurityIdentity identity;

    ReportPagesResource(ReportQueries queries, SecurityIdentity identity) {
        this.queries = queries;
        this.identity = identity;
    }

    /** Dates are UTC days; {@code to} includes its day. */
    @GET
    public Uni<Response> list(@QueryParam("domain") String domain, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("unclaimed") @DefaultValue("false") boolean unclaimed,
            @QueryParam("page") @DefaultValue("0") int page) {
        Viewer viewer = Viewer.of(identity, "reports");
        Filters filters = new Filters(domain, from, to, unclaimed);
        return Uni.createFrom().deferred(() -> queries.list(new ReportQueries.Filter(domain,
                        day(from, "from", 0), day(to, "to", 1), unclaimed, Math.max(0, page), PAGE_SIZE)))
                .map(result -> Response.ok(Templates.reports(viewer, filters, result, Pager.of(result), null)).build())
                .onFailure(InvalidRequestException.class).recoverWithItem(failure -> Response.status(400)
                        .entity(Templates.reports(viewer, filters, new ReportPage(List.of(), 0, PAGE_SIZE, 0),
                                new Pager(1, 1, null, null), FormErrors.message(failure))).build());
    }

    @GET
    @Path("{id}")
    public Uni<Response> report(@PathParam("id") long id) {
        Viewer viewer = Viewer.of(identity, "reports");
        return Uni.combine().all().unis(queries.find(id), queries.raw(id)).asTuple()
                .map(t -> {
                    ReportView report = t.getItem1();
                    List<DetailRow> rows = new ArrayList<>();
                    long total = 0;
                    int index = 0;
                    for (PolicyResult policy : report.report().policies()) {
                        index++;
                        for (FailureDetail detail : policy.failureDetails()) {
                            total++;
                            if (rows.size() < MAX_DETAIL_ROWS) {
                                rows.add(new DetailRow(index, detail));
                            }
                        }
                    }
                    byte[] raw = t.getItem2();
                    String json = pretty(raw);
                    boolean truncated = json.length() > MAX_RAW_CHARS;
                    return Response.ok(Templates.report(viewer, report, rows, total,
                            truncated ? json.substring(0, MAX_RAW_CHARS) : json, truncated, TlsRptParser.isGzip(raw),
                            raw.length)).build();
                })
                .onFailure(NotFoundException.class)
                .recoverWithItem(() -> Response.status(404).entity(Templates.notFound(viewer, id)).build());
    }

    /** The payload exactly as the sender delivered it (gzip or JSON), as a download. */
    @GET
    @Path("{id}/raw")
    @Produces({"application/gzip", MediaType.APPLICATION_JSON})
    public Uni<Response> raw(@PathParam("id") long id) {
        return queries.raw(id).map(payload -> ReportResource.rawDownload(id, payload));
    }

    private static java.time.Instant day(String value, String field, int plusDays) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "give a day as YYYY-MM-DD");
        }
    }

    /**
     * The raw payload pretty-printed for reading: inflated when gzip (it was inflated within the parser's
     * limits when it was stored), re-indented when it is JSON, else shown as the text it is.
     */
    static String pretty(byte[] raw) {
        byte[] json = raw;
        if (TlsRptParser.isGzip(raw)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                json = out.toByteArray();
            } catch (IOException e) {
                return "(the gzip payload could not be inflated for display: " + e.getMessage() + ")";
            }
        }
        String text = new String(json, StandardCharsets.UTF_8);
        try {
            JsonNode tree = PRETTY.readTree(json);
            return tree == null ? text : PRETTY.writeValueAsString(tree);
        } catch (IOException e) {
            return text;
        }
    }
}
