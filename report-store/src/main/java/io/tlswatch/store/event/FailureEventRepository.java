package io.tlswatch.store.event;

import static io.tlswatch.store.config.Timestamps.instant;

import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.DateRange;
import io.tlswatch.tlsrpt.alerting.FailureEvent;
import io.tlswatch.tlsrpt.alerting.FailureEventPage;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Failure events after a cursor, for alert-service's sweep.
 *
 * <p>Why no event is missed when reports commit out of order: a position is the id of the
 * transaction that stored a report ({@code report.created_xid}, 64-bit, never reused). Ids are
 * handed out when a transaction starts writing, not when it commits, so a report stored by an
 * older, slower transaction can become visible after a newer one; a cursor that jumped to the newer
 * id would skip it. A page therefore only ever covers ids below the watermark, the oldest
 * transaction still running ({@code pg_snapshot_xmin(pg_current_snapshot())}): every transaction
 * below it has committed or aborted, so nothing can appear below the watermark later. Newer reports
 * wait (they show in {@code oldest-pending-at}) until every older transaction has ended. The price:
 * one transaction left open anywhere in the server holds events back for as long as it runs,
 * which is what {@code oldest-pending-at} makes visible.
 *
 * <p>Pages end at a transaction boundary, never inside one, so the next page can start after the
 * last id returned without splitting a report's (or a transaction's) events. When a page is not
 * cut at the limit, the next cursor moves up to just below the watermark, past reports that gave
 * no event (unclaimed, TLS reporting off), so they are not read again on every sweep.
 *
 * <p>Only claimed policies with failed sessions of domains whose TLS reporting is on give events:
 * unclaimed reports and domains with reporting off are never alerted, so they are left out here
 * rather than filtered by every consumer. A report claimed later, when its domain is registered,
 * gives no event: it is older than the registration.
 */
@ApplicationScoped
public class FailureEventRepository {

    /**
     * The report has a failing policy of a domain with reporting on. Needs the alias {@code r} for report.
     *
     * <p>{@code offset 0} keeps PostgreSQL from turning the test into a join: it stays a probe of
     * {@code report_policy_report} per report after the cursor. As a join, the generic plan a connection
     * settles on after a catch-up (sized for a third of all failing reports after an unknown cursor) is a
     * hash semi-join that reads the whole of {@code report_policy} whenever a report is after the cursor:
     * 220 ms per sweep at a million reports, for one new report (docs/BENCHMARKS.md, alert-service).
     */
    private static final String ALERTABLE = """
            exists (select 1 from report_policy p join domain d on d.id = p.domain_id
                    where p.report_id = r.id and p.failed_sessions > 0 and d.tls_reporting_enabled
                    offset 0)""";

    private final Pool pool;

    FailureEventRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<FailureEventPage> after(long cursor, int limit) {
        return pool.withConnection(connection -> bounds(connection, cursor, limit)
                .chain(bounds -> {
                    long upper = Math.max(cursor, bounds.upper());
                    Uni<List<FailureEvent>> events = upper > cursor ? events(connection, cursor, upper)
                            : Uni.createFrom().item(List.of());
                    return events.chain(page -> oldestPending(connection, cursor)
                            .map(oldest -> new FailureEventPage(page, upper, bounds.more(), oldest)));
                }));
    }

    /** Where this page ends (inclusive), read in one statement so that the watermark and the ids agree. */
    private Uni<Bounds> bounds(SqlConnection connection, long cursor, int limit) {
        return connection.preparedQuery("""
                        select w.watermark::text::bigint as watermark,
                            array(select r.created_xid::text::bigint from report r
                                  where r.failed_sessions > 0
                                    and r.created_xid > $1::bigint::text::xid8
                                    and r.created_xid < w.watermark
                                    and %s
                                  order by r.created_xid
                                  limit $2::int + 1) as xids
                        from (select pg_snapshot_xmin(pg_current_snapshot()) as watermark) w""".formatted(ALERTABLE))
                .execute(Tuple.of(cursor, limit))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Long[] xids = row.getArrayOfLongs("xids");
                    if (xids.length > limit) {
                        // Cut after the limit-th report, taking the rest of its transaction with it.
                        return new Bounds(xids[limit - 1], true);
                    }
                    return new Bounds(row.getLong("watermark") - 1, false);
                });
    }

    private Uni<List<FailureEvent>> events(SqlConnection connection, long cursor, long upper) {
        return connection.preparedQuery("""
                        select r.created_xid::text::bigint as xid, r.id, r.organization_name, r.report_id,
                            r.start_time, r.end_time, r.received_at,
                            d.id as domain_id, d.name as domain, d.organisation_id,
                            sum(p.failed_sessions) as failed_sessions
                        from report r
                        join report_policy p on p.report_id = r.id
                        join domain d on d.id = p.domain_id
                        where r.failed_sessions > 0
                          and r.created_xid > $1::bigint::text::xid8
                          and r.created_xid <= $2::bigint::text::xid8
                          and p.failed_sessions > 0
                          and d.tls_reporting_enabled
                        group by r.id, d.id
                        order by r.created_xid, r.id, d.id""")
                .execute(Tuple.of(cursor, upper))
                .map(rows -> {
                    List<FailureEvent> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        events.add(new FailureEvent(
                                row.getLong("xid"),
                                row.getString("domain"),
                                row.getLong("domain_id"),
                                row.getLong("organisation_id"),
                                row.getLong("id"),
                                row.getString("organization_name"),
                                row.getString("report_id"),
                                new DateRange(instant(row, "start_time"), instant(row, "end_time")),
                                instant(row, "received_at"),
                                row.getLong("failed_sessions")));
                    }
                    return events;
                });
    }

    private Uni<Instant> oldestPending(SqlConnection connection, long cursor) {
        return connection.preparedQuery("""
                        select min(r.received_at) as oldest from report r
                        where r.failed_sessions > 0 and r.created_xid > $1::bigint::text::xid8 and %s"""
                        .formatted(ALERTABLE))
                .execute(Tuple.of(cursor))
                .map(rows -> instant(rows.iterator().next(), "oldest"));
    }

    /** The last xid this page covers, and whether it was cut at the limit. */
    private record Bounds(long upper, boolean more) {
    }
}
