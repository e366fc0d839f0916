package io.tlswatch.store.report;

import static io.tlswatch.store.config.Timestamps.instant;
import static io.tlswatch.store.config.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.tlsrpt.DateRange;
import io.tlswatch.tlsrpt.DomainNames;
import io.tlswatch.tlsrpt.FailureDetail;
import io.tlswatch.tlsrpt.Policy;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.PolicyType;
import io.tlswatch.tlsrpt.Summary;
import io.tlswatch.tlsrpt.TlsReport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The read side of reports: the filtered list, one report as normalised, and its raw payload. */
@ApplicationScoped
public class ReportQueries {

    public static final int MAX_PAGE_SIZE = 500;

    private final Pool pool;

    ReportQueries(Pool pool) {
        this.pool = pool;
    }

    /** Which reports to list: all filters optional; {@code to} is exclusive. */
    public record Filter(String domain, Instant from, Instant to, boolean unclaimedOnly, int page, int size) {
        public Filter {
            if (page < 0) {
                throw new InvalidRequestException("page", "must be 0 or more");
            }
            if (size < 1 || size > MAX_PAGE_SIZE) {
                throw new InvalidRequestException("size", "must be between 1 and " + MAX_PAGE_SIZE);
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw new InvalidRequestException("to", "must be after from");
            }
            domain = domain == null || domain.isBlank() ? null : DomainNames.normalise(domain);
        }
    }

    public Uni<ReportPage> list(Filter filter) {
        List<String> where = new ArrayList<>();
        Tuple args = Tuple.tuple();
        if (filter.domain() != null) {
            args.addString(filter.domain());
            // A registered domain's reports (its subdomains included), or an unregistered policy-domain's.
            where.add("exists (select 1 from report_policy p where p.report_id = r.id and (p.policy_domain = $"
                    + args.size() + " or p.domain_id = (select id from domain where name = $" + args.size() + ")))");
        }
        if (filter.unclaimedOnly()) {
            where.add("exists (select 1 from report_policy p where p.report_id = r.id and p.domain_id is null)");
        }
        if (filter.from() != null) {
            args.addOffsetDateTime(utc(filter.from()));
            where.add("r.start_time >= $" + args.size());
        }
        if (filter.to() != null) {
            args.addOffsetDateTime(utc(filter.to()));
            where.add("r.start_time < $" + args.size());
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        List<Object> pageValues = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            pageValues.add(args.getValue(i));
        }
        Tuple pageArgs = Tuple.tuple(pageValues).addInteger(filter.size()).addLong((long) filter.page() * filter.size());
        Uni<Long> total = pool.preparedQuery("select count(*) as total from report r" + condition).execute(args)
                .map(rows -> rows.iterator().next().getLong("total"));
        Uni<List<ReportSummary>> items = pool.preparedQuery("""
                select r.id, r.organization_name, r.report_id, r.received_at, r.channel, r.start_time, r.end_time,
                    r.successful_sessions, r.failed_sessions,
                    array(select coalesce(p.policy_domain, '') from report_policy p where p.report_id = r.id
                          order by p.ordinal) as policy_domains
                from report r""" + condition + " order by r.start_time desc, r.id desc limit $"
                        + (args.size() + 1) + " offset $" + (args.size() + 2))
                .execute(pageArgs)
                .map(rows -> {
                    List<ReportSummary> list = new ArrayList<>();
                    for (Row row : rows) {
                        list.add(new ReportSummary(row.getLong("id"), row.getString("organization_name"),
                                row.getString("report_id"), instant(row, "received_at"), row.getString("channel"),
                                instant(row, "start_time"), instant(row, "end_time"),
                                Arrays.stream(row.getArrayOfStrings("policy_domains")).filter(d -> !d.isEmpty()).toList(),
                                row.getLong("successful_sessions"), row.getLong("failed_sessions")));
                    }
                    return list;
                });
        return Uni.combine().all().unis(items, total).asTuple()
                .map(both -> new ReportPage(both.getItem1(), filter.page(), filter.size(), both.getItem2()));
    }

    public Uni<ReportView> find(long id) {
        Uni<Row> report = pool.preparedQuery("""
                select id, organization_name, report_id, contact_info, start_time, end_time, channel, received_at,
                    remote_address, submitter from report where id = $1""").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no report " + id);
                    }
                    return rows.iterator().next();
                });
        Uni<List<Row>> policies = pool.preparedQuery("""
                select p.id, p.policy_type, p.policy_domain, p.policy_strings, p.mx_hosts, p.successful_sessions,
                    p.failed_sessions, d.name as domain
                from report_policy p left join domain d on d.id = p.domain_id
                where p.report_id = $1 order by p.ordinal""").execute(Tuple.of(id)).map(ReportQueries::list);
        Uni<List<Row>> details = pool.preparedQuery("""
                select f.* from failure_detail f join report_policy p on p.id = f.policy_id
                where p.report_id = $1 order by f.id""").execute(Tuple.of(id)).map(ReportQueries::list);
        return Uni.combine().all().unis(report, policies, details).asTuple()
                .map(rows -> toView(rows.getItem1(), rows.getItem2(), rows.getItem3()));
    }

    /** The payload exactly as received. */
    public Uni<byte[]> raw(long id) {
        return pool.preparedQuery("select raw_payload from report where id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no report " + id);
                    }
                    return rows.iterator().next().getBuffer("raw_payload").getBytes();
                });
    }

    private static ReportView toView(Row report, List<Row> policyRows, List<Row> detailRows) {
        Map<Long, List<FailureDetail>> detailsByPolicy = new HashMap<>();
        for (Row row : detailRows) {
            detailsByPolicy.computeIfAbsent(row.getLong("policy_id"), k -> new ArrayList<>()).add(new FailureDetail(
                    row.getString("result_type"), row.getString("sending_mta_ip"),
                    row.getString("receiving_mx_hostname"), row.getString("receiving_mx_helo"),
                    row.getString("receiving_ip"), row.getLong("failed_session_count"),
                    row.getString("additional_information"), row.getString("failure_reason_code")));
        }
        List<PolicyResult> policies = new ArrayList<>();
        List<String> attributedDomains = new ArrayList<>();
        for (Row row : policyRows) {
            Policy policy = new Policy(PolicyType.fromWire(row.getString("policy_type")).orElseThrow(),
                    List.of(row.getArrayOfStrings("policy_strings")), row.getString("policy_domain"),
                    List.of(row.getArrayOfStrings("mx_hosts")));
            policies.add(new PolicyResult(policy,
                    new Summary(row.getLong("successful_sessions"), row.getLong("failed_sessions")),
                    detailsByPolicy.getOrDefault(row.getLong("id"), List.of())));
            attributedDomains.add(row.getString("domain"));
        }
        TlsReport normalised = new TlsReport(report.getString("organization_name"),
                new DateRange(instant(report, "start_time"), instant(report, "end_time")),
                report.getString("contact_info"), report.getString("report_id"), policies);
        return new ReportView(report.getLong("id"), instant(report, "received_at"), report.getString("channel"),
                report.getString("submitter"), report.getString("remote_address"), attributedDomains, normalised);
    }

    private static List<Row> list(Iterable<Row> rows) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        return list;
    }
}
