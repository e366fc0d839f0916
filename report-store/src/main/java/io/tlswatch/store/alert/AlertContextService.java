package io.tlswatch.store.alert;

import static io.tlswatch.store.config.Timestamps.instant;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.tlsrpt.DateRange;
import io.tlswatch.tlsrpt.alerting.AlertContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The recipients and the failure summary of an alert, aggregated in SQL: the domain's policies in the
 * period through {@code report_policy_domain_time}, their details through {@code failure_detail_policy}.
 */
@ApplicationScoped
public class AlertContextService {

    /** The longest breakdown list in a summary. */
    static final int TOP = 50;

    /** The domain's policies in the period: $1 domain id, $2 since, $3 until. */
    private static final String POLICIES = """
            with p as (select id, report_id, policy_type, policy_domain, policy_strings, mx_hosts,
                           successful_sessions, failed_sessions
                       from report_policy where domain_id = $1 and start_time >= $2 and start_time < $3)
            """;

    private final Pool pool;

    AlertContextService(Pool pool) {
        this.pool = pool;
    }

    public Uni<AlertContext> context(DomainRef ref, Instant since, Instant until) {
        return pool.withConnection(connection -> connection.preparedQuery("""
                                select d.id, d.name, d.tls_reporting_enabled, o.id as organisation_id,
                                    o.name as organisation_name,
                                    array(select r.address from alert_recipient r where r.organisation_id = o.id
                                          order by lower(r.address)) as recipients
                                from domain d join organisation o on o.id = d.organisation_id
                                where\s""" + ref.condition())
                .execute(Tuple.of(ref.parameter()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("no registered domain " + ref);
                    }
                    Row row = rows.iterator().next();
                    AlertContext.Domain domain = new AlertContext.Domain(row.getLong("id"), row.getString("name"),
                            row.getBoolean("tls_reporting_enabled"));
                    AlertContext.Organisation organisation = new AlertContext.Organisation(
                            row.getLong("organisation_id"), row.getString("organisation_name"));
                    List<String> recipients = Arrays.asList(row.getArrayOfStrings("recipients"));
                    return summary(connection, domain.id(), since, until)
                            .map(summary -> new AlertContext(domain, organisation, recipients, summary));
                }));
    }

    private Uni<AlertContext.Summary> summary(SqlConnection c, long domainId, Instant since, Instant until) {
        Tuple period = Tuple.of(domainId, since.atOffset(ZoneOffset.UTC), until.atOffset(ZoneOffset.UTC));
        Uni<Row> totals = c.preparedQuery(POLICIES + """
                        select count(distinct p.report_id) as reports,
                            coalesce(sum(p.successful_sessions), 0) as successful_sessions,
                            coalesce(sum(p.failed_sessions), 0) as failed_sessions,
                            min(r.start_time) as first_start, max(r.end_time) as last_end
                        from p join report r on r.id = p.report_id""")
                .execute(period).map(rows -> rows.iterator().next());
        Uni<List<AlertContext.ResultType>> resultTypes = list(c, period, """
                        select f.result_type, sum(coalesce(f.failed_session_count, 0)) as failed_sessions
                        from p join failure_detail f on f.policy_id = p.id
                        group by f.result_type order by 2 desc, 1""",
                row -> new AlertContext.ResultType(row.getString("result_type"), row.getLong("failed_sessions")));
        Uni<List<AlertContext.MxHost>> mxHosts = list(c, period, """
                        select lower(rtrim(f.receiving_mx_hostname, '.')) as hostname,
                            sum(coalesce(f.failed_session_count, 0)) as failed_sessions
                        from p join failure_detail f on f.policy_id = p.id
                        where f.receiving_mx_hostname is not null
                        group by 1 order by 2 desc, 1""",
                row -> new AlertContext.MxHost(row.getString("hostname"), row.getLong("failed_sessions")));
        Uni<List<AlertContext.ReceivingIp>> ips = list(c, period, """
                        select f.receiving_ip, sum(coalesce(f.failed_session_count, 0)) as failed_sessions
                        from p join failure_detail f on f.policy_id = p.id
                        where f.receiving_ip is not null
                        group by 1 order by 2 desc, 1""",
                row -> new AlertContext.ReceivingIp(row.getString("receiving_ip"), row.getLong("failed_sessions")));
        Uni<List<AlertContext.Reporter>> reporters = list(c, period, """
                        select r.organization_name, count(distinct r.id) as reports,
                            sum(p.failed_sessions) as failed_sessions
                        from p join report r on r.id = p.report_id
                        group by 1 order by 3 desc, 2 desc, 1""",
                row -> new AlertContext.Reporter(row.getString("organization_name"), row.getLong("reports"),
                        row.getLong("failed_sessions")));
        Uni<List<AlertContext.Policy>> policies = list(c, period, """
                        select policy_type, policy_domain, policy_strings, mx_hosts,
                            count(distinct report_id) as reports, sum(failed_sessions) as failed_sessions
                        from p group by 1, 2, 3, 4 order by 6 desc, 5 desc, 1, 2""",
                row -> new AlertContext.Policy(row.getString("policy_type"), row.getString("policy_domain"),
                        Arrays.asList(row.getArrayOfStrings("policy_strings")),
                        Arrays.asList(row.getArrayOfStrings("mx_hosts")), row.getLong("reports"),
                        row.getLong("failed_sessions")));
        // One connection runs one statement at a time, so these run one after the other.
        return totals.chain(t -> resultTypes.chain(types -> mxHosts.chain(hosts -> ips.chain(ipList ->
                reporters.chain(reporterList -> policies.map(policyList -> {
                    Instant first = instant(t, "first_start");
                    return new AlertContext.Summary(since, until, t.getLong("reports"),
                            t.getLong("successful_sessions"), t.getLong("failed_sessions"),
                            first == null ? null : new DateRange(first, instant(t, "last_end")),
                            types, hosts, ipList, reporterList, policyList);
                }))))));
    }

    private static <T> Uni<List<T>> list(SqlConnection c, Tuple period, String query, Function<Row, T> mapper) {
        return c.preparedQuery(POLICIES + query + " limit " + TOP).execute(period).map(rows -> map(rows, mapper));
    }

    private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(mapper.apply(row));
        }
        return items;
    }
}
