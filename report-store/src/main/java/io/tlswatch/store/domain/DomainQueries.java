package io.tlswatch.store.domain;

import static io.tlswatch.store.config.Timestamps.instant;
import static io.tlswatch.store.config.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.config.StoreConfig;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.tlsrpt.DomainNames;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What the dashboard and operators ask about domains. The status of every domain and the sessions by
 * day come from the rollup {@code domain_sessions} (one row per domain and report period); the other
 * breakdowns walk report_policy by (domain_id, start_time), so their cost follows one domain's reports
 * in the period, not the table.
 */
@ApplicationScoped
public class DomainQueries {

    public static final int MAX_DAYS = 366;
    private static final int TOP = 50;

    /**
     * From the per-domain rollup {@code domain_sessions} (V4), one row per domain and report period, which
     * holds exactly the sums of that domain's policies of that period: the list reads about 30 rows per
     * domain, not every policy of 30 days. A period's sum of failed sessions is above zero exactly when one
     * of its policies has failed sessions (counts are never negative: the parser refuses them), so the last
     * failure comes from the rollup too.
     */
    private static final String STATUS = """
            select d.id, d.name, d.organisation_id, d.tls_reporting_enabled,
                coalesce(sum(s.successful_sessions) filter (where s.start_time >= $1), 0) as successful_7d,
                coalesce(sum(s.failed_sessions) filter (where s.start_time >= $1), 0) as failed_7d,
                coalesce(sum(s.successful_sessions), 0) as successful_30d,
                coalesce(sum(s.failed_sessions), 0) as failed_30d,
                (select max(x.start_time) from domain_sessions x where x.domain_id = d.id) as last_report_at,
                (select max(x.start_time) from domain_sessions x where x.domain_id = d.id and x.failed_sessions > 0)
                    as last_failure_at,
                (select max(a.sent_at) from alert a where a.domain_id = d.id and a.status = 'sent') as last_alert_at
            from domain d left join domain_sessions s on s.domain_id = d.id and s.start_time >= $2
            """;

    private final Pool pool;
    private final Clock clock;
    private final StoreConfig config;

    DomainQueries(Pool pool, Clock clock, StoreConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
    }

    /** Every registered domain, failing first, then by name. */
    public Uni<List<DomainStatus>> statuses() {
        Instant now = clock.instant();
        return pool.preparedQuery(STATUS + " group by d.id").execute(Tuple.of(utc(now.minus(Duration.ofDays(7))),
                        utc(now.minus(Duration.ofDays(30)))))
                .map(rows -> {
                    List<DomainStatus> list = new ArrayList<>();
                    rows.forEach(row -> list.add(status(row, now)));
                    list.sort(Comparator.comparing((DomainStatus s) -> !s.state().equals(DomainStatus.FAILING))
                            .thenComparing(DomainStatus::name));
                    return list;
                });
    }

    /** Policy-domains that reports name and no organisation has registered. */
    public Uni<List<UnclaimedDomain>> unclaimed() {
        return pool.query("""
                        select policy_domain, count(distinct report_id) as reports, sum(failed_sessions) as failed,
                            max(start_time) as last_report_at
                        from report_policy where domain_id is null and policy_domain is not null
                        group by policy_domain order by last_report_at desc limit 200""").execute()
                .map(rows -> {
                    List<UnclaimedDomain> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new UnclaimedDomain(row.getString("policy_domain"),
                            row.getLong("reports"), row.getLong("failed"), instant(row, "last_report_at"))));
                    return list;
                });
    }

    /** One domain over the last {@code days} days, with its breakdowns and the record to publish. */
    public Uni<DomainDetail> detail(String domainName, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidRequestException("days", "must be between 1 and " + MAX_DAYS);
        }
        String name = DomainNames.normalise(domainName);
        Instant now = clock.instant();
        Instant start = now.minus(Duration.ofDays(days));
        return pool.preparedQuery(STATUS + " where d.name = $3 group by d.id")
                .execute(Tuple.of(utc(now.minus(Duration.ofDays(7))), utc(now.minus(Duration.ofDays(30))), name))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no registered domain " + name);
                    }
                    Row row = rows.iterator().next();
                    DomainStatus status = status(row, now);
                    Tuple period = Tuple.of(row.getLong("id"), utc(start), utc(now.plus(Duration.ofDays(1))));
                    return Uni.combine().all().unis(
                                    failuresBy("f.result_type", period),
                                    failuresBy("f.receiving_mx_hostname", period),
                                    failuresBy("f.receiving_ip", period),
                                    reporters(period), days(period), policiesSeen(period))
                            .asTuple()
                            .map(t -> new DomainDetail(status, start, now, t.getItem1(), t.getItem2(), t.getItem3(),
                                    t.getItem4(), t.getItem5(), t.getItem6(),
                                    TlsRptRecord.forDomain(name, config.ingest())));
                });
    }

    private Uni<List<DomainDetail.Count>> failuresBy(String column, Tuple period) {
        return select("select " + column + " as value, sum(coalesce(f.failed_session_count, 0)) as failed "
                        + "from report_policy p join failure_detail f on f.policy_id = p.id "
                        + "where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3 "
                        + "group by 1 order by 2 desc, 1 limit " + TOP, period,
                row -> new DomainDetail.Count(row.getString("value"), row.getLong("failed")));
    }

    private Uni<List<DomainDetail.ReporterSessions>> reporters(Tuple period) {
        return select("""
                        select r.organization_name, count(distinct r.id) as reports,
                            sum(p.successful_sessions) as successful, sum(p.failed_sessions) as failed
                        from report_policy p join report r on r.id = p.report_id
                        where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3
                        group by 1 order by failed desc, reports desc limit\s""" + TOP, period,
                row -> new DomainDetail.ReporterSessions(row.getString("organization_name"), row.getLong("reports"),
                        row.getLong("successful"), row.getLong("failed")));
    }

    /** From the rollup: its rows hold the sums of the domain's policies per period start, so the days' sums are equal. */
    private Uni<List<DomainDetail.DaySessions>> days(Tuple period) {
        return select("""
                        select (s.start_time at time zone 'UTC')::date as day,
                            sum(s.successful_sessions) as successful, sum(s.failed_sessions) as failed
                        from domain_sessions s
                        where s.domain_id = $1 and s.start_time >= $2 and s.start_time < $3
                        group by 1 order by 1""", period,
                row -> new DomainDetail.DaySessions(row.getLocalDate("day"), row.getLong("successful"),
                        row.getLong("failed")));
    }

    private Uni<List<DomainDetail.PolicySeen>> policiesSeen(Tuple period) {
        return select("""
                        select p.policy_type, p.policy_strings, p.mx_hosts, count(*) as reports,
                            max(p.start_time) as last_seen
                        from report_policy p
                        where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3
                        group by 1, 2, 3 order by last_seen desc limit 20""", period,
                row -> new DomainDetail.PolicySeen(row.getString("policy_type"),
                        List.of(row.getArrayOfStrings("policy_strings")), List.of(row.getArrayOfStrings("mx_hosts")),
                        row.getLong("reports"), instant(row, "last_seen")));
    }

    private <T> Uni<List<T>> select(String sql, Tuple args, Function<Row, T> mapper) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<T> list = new ArrayList<>();
            rows.forEach(row -> list.add(mapper.apply(row)));
            return list;
        });
    }

    private DomainStatus status(Row row, Instant now) {
        Instant lastReport = instant(row, "last_report_at");
        Instant lastAlert = instant(row, "last_alert_at");
        Instant suppressedUntil = lastAlert == null ? null : lastAlert.plus(config.alert().suppressionWindow());
        long failed7d = row.getLong("failed_7d");
        boolean enabled = row.getBoolean("tls_reporting_enabled");
        return new DomainStatus(row.getString("name"), row.getLong("organisation_id"), enabled,
                DomainStatus.state(enabled, lastReport, failed7d), row.getLong("successful_7d"), failed7d,
                row.getLong("successful_30d"), row.getLong("failed_30d"), lastReport, instant(row, "last_failure_at"),
                suppressedUntil != null && suppressedUntil.isAfter(now) ? suppressedUntil : null);
    }
}
