package io.tlswatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the three endpoints {@link StoreBenchmark} times,
 * the statements copied verbatim from report-store (file and method named with each), run the way
 * report-store runs them: report-store's reactive client caches prepared statements per connection
 * (Quarkus' default for PostgreSQL), and PostgreSQL may switch a prepared statement to a generic plan
 * from its sixth execution on. So each statement is PREPAREd, EXECUTEd five times with the parameters
 * the service would send, and the sixth execution is the one explained.
 *
 * <p>The copies are checked against report-store's sources when they are found next to the bench
 * (whitespace aside): a copy that no longer matches is reported, not silently explained.
 */
final class StorePlans {

    static final String STORE = "report-store/src/main/java/io/tlswatch/store/";
    static final String DOMAIN_QUERIES = STORE + "domain/DomainQueries.java";
    static final String FAILURE_EVENTS = STORE + "event/FailureEventRepository.java";

    /** One statement: where it comes from, its text with $n parameters, and the values the service sends. */
    record Query(String name, String source, List<String> fragments, String sql, List<String> parameters) {
    }

    // --- DomainQueries (report-store/src/main/java/io/tlswatch/store/domain/DomainQueries.java) ---

    /** DomainQueries.STATUS, used by statuses() with " group by d.id" and by detail() with a where clause. */
    static final String STATUS = """
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

    /** DomainQueries.unclaimed(). */
    static final String UNCLAIMED = """
            select policy_domain, count(distinct report_id) as reports, sum(failed_sessions) as failed,
                max(start_time) as last_report_at
            from report_policy where domain_id is null and policy_domain is not null
            group by policy_domain order by last_report_at desc limit 200""";

    /** DomainQueries.failuresBy(column, period), built the way it builds it. */
    static String failuresBy(String column) {
        return "select " + column + " as value, sum(coalesce(f.failed_session_count, 0)) as failed "
                + "from report_policy p join failure_detail f on f.policy_id = p.id "
                + "where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3 "
                + "group by 1 order by 2 desc, 1 limit " + 50;
    }

    /** DomainQueries.reporters(period). */
    static final String REPORTERS = """
            select r.organization_name, count(distinct r.id) as reports,
                sum(p.successful_sessions) as successful, sum(p.failed_sessions) as failed
            from report_policy p join report r on r.id = p.report_id
            where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3
            group by 1 order by failed desc, reports desc limit\s""" + 50;

    /** DomainQueries.days(period). */
    static final String DAYS = """
            select (s.start_time at time zone 'UTC')::date as day,
                sum(s.successful_sessions) as successful, sum(s.failed_sessions) as failed
            from domain_sessions s
            where s.domain_id = $1 and s.start_time >= $2 and s.start_time < $3
            group by 1 order by 1""";

    /** DomainQueries.policiesSeen(period). */
    static final String POLICIES_SEEN = """
            select p.policy_type, p.policy_strings, p.mx_hosts, count(*) as reports,
                max(p.start_time) as last_seen
            from report_policy p
            where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3
            group by 1, 2, 3 order by last_seen desc limit 20""";

    // --- FailureEventRepository (report-store/src/main/java/io/tlswatch/store/event/FailureEventRepository.java) ---

    /** FailureEventRepository.ALERTABLE. */
    static final String ALERTABLE = """
            exists (select 1 from report_policy p join domain d on d.id = p.domain_id
                    where p.report_id = r.id and p.failed_sessions > 0 and d.tls_reporting_enabled
                    offset 0)""";

    /** FailureEventRepository.bounds(). */
    static final String BOUNDS = """
            select w.watermark::text::bigint as watermark,
                array(select r.created_xid::text::bigint from report r
                      where r.failed_sessions > 0
                        and r.created_xid > $1::bigint::text::xid8
                        and r.created_xid < w.watermark
                        and %s
                      order by r.created_xid
                      limit $2::int + 1) as xids
            from (select pg_snapshot_xmin(pg_current_snapshot()) as watermark) w""".formatted(ALERTABLE);

    /** FailureEventRepository.events(). */
    static final String EVENTS = """
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
            order by r.created_xid, r.id, d.id""";

    /** FailureEventRepository.oldestPending(). */
    static final String OLDEST_PENDING = """
            select min(r.received_at) as oldest from report r
            where r.failed_sessions > 0 and r.created_xid > $1::bigint::text::xid8 and %s""".formatted(ALERTABLE);

    /** The statements behind GET /api/v1/domains (both run on their own connections, concurrently). */
    static List<Query> domainList(String sevenDaysAgo, String thirtyDaysAgo) {
        return List.of(
                new Query("list.statuses", DOMAIN_QUERIES + ": statuses(), STATUS + \" group by d.id\"",
                        List.of(STATUS), STATUS + " group by d.id", List.of(sevenDaysAgo, thirtyDaysAgo)),
                new Query("list.unclaimed", DOMAIN_QUERIES + ": unclaimed()", List.of(UNCLAIMED), UNCLAIMED,
                        List.of()));
    }

    /**
     * The statements behind GET /api/v1/domains/{domain}?days=30: the status first, then the six
     * breakdowns, which report-store runs concurrently on separate connections.
     */
    static List<Query> domainDetail(String sevenDaysAgo, String thirtyDaysAgo, String domain, long domainId,
            String start, String end) {
        List<String> period = List.of(Long.toString(domainId), start, end);
        List<Query> queries = new ArrayList<>();
        queries.add(new Query("detail.status", DOMAIN_QUERIES + ": detail(), STATUS + \" where d.name = $3 group by d.id\"",
                List.of(STATUS, "\" where d.name = $3 group by d.id\""), STATUS + " where d.name = $3 group by d.id",
                List.of(sevenDaysAgo, thirtyDaysAgo, domain)));
        for (String column : List.of("f.result_type", "f.receiving_mx_hostname", "f.receiving_ip")) {
            queries.add(new Query("detail.failuresBy(" + column + ")", DOMAIN_QUERIES + ": failuresBy(\"" + column + "\")",
                    List.of("\"from report_policy p join failure_detail f on f.policy_id = p.id \"",
                            "\"where p.domain_id = $1 and p.start_time >= $2 and p.start_time < $3 \""),
                    failuresBy(column), period));
        }
        queries.add(new Query("detail.reporters", DOMAIN_QUERIES + ": reporters()", List.of(REPORTERS.replace(" 50", "")),
                REPORTERS, period));
        queries.add(new Query("detail.days", DOMAIN_QUERIES + ": days()", List.of(DAYS), DAYS, period));
        queries.add(new Query("detail.policiesSeen", DOMAIN_QUERIES + ": policiesSeen()", List.of(POLICIES_SEEN),
                POLICIES_SEEN, period));
        return queries;
    }

    /** The statements behind GET /internal/v1/failure-events?after=cursor&limit=100, in order, on one connection. */
    static List<Query> failureEvents(long cursor, long upper) {
        return List.of(
                new Query("events.bounds", FAILURE_EVENTS + ": bounds()", List.of(ALERTABLE, stripFormat(BOUNDS)), BOUNDS,
                        List.of(Long.toString(cursor), "100")),
                new Query("events.events", FAILURE_EVENTS + ": events()", List.of(EVENTS), EVENTS,
                        List.of(Long.toString(cursor), Long.toString(upper))),
                new Query("events.oldestPending", FAILURE_EVENTS + ": oldestPending()",
                        List.of(stripFormat(OLDEST_PENDING)), OLDEST_PENDING, List.of(Long.toString(cursor))));
    }

    /** The part of a formatted statement before ALERTABLE was put in, as it stands in the source. */
    private static String stripFormat(String sql) {
        int at = sql.indexOf("exists (select 1 from report_policy p join domain d");
        return sql.substring(0, at);
    }

    /**
     * Explains each query; returns their execution times (ms) by name and appends the plans to
     * {@code out}.
     */
    static Map<String, Double> explain(Connection connection, List<Query> queries, Path sources, StringBuilder out)
            throws SQLException {
        Map<String, Double> times = new LinkedHashMap<>();
        for (Query query : queries) {
            out.append("=== ").append(query.name()).append('\n');
            out.append("source: ").append(query.source()).append(sourceCheck(query, sources)).append('\n');
            out.append("parameters: ").append(query.parameters()).append('\n');
            out.append("sql:\n").append(query.sql().strip().indent(4)).append('\n');
            String arguments = query.parameters().isEmpty() ? ""
                    : "(" + String.join(", ", query.parameters().stream().map(StorePlans::literal).toList()) + ")";
            try (Statement statement = connection.createStatement()) {
                statement.execute("deallocate all");
                statement.execute("prepare bench_q as " + query.sql());
                for (int i = 0; i < 5; i++) {
                    statement.execute("execute bench_q" + arguments);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("explain (analyze, buffers) execute bench_q" + arguments)) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                statement.execute("deallocate bench_q");
                out.append("plan (sixth execution of the prepared statement):\n").append(plan.toString().indent(4))
                        .append('\n');
                Matcher m = Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(plan);
                if (m.find()) {
                    times.put(query.name(), Double.parseDouble(m.group(1)));
                }
            } catch (SQLException e) {
                // e.g. a copy run against an older report-store whose schema lacks what it reads
                out.append("could not explain: ").append(e.getMessage()).append("\n\n");
            }
        }
        return times;
    }

    private static String literal(String value) {
        return value.matches("-?[0-9]+") ? value : "'" + value.replace("'", "''") + "'";
    }

    /** " (matches the source)" or a warning naming the fragment that is no longer there. */
    private static String sourceCheck(Query query, Path sources) {
        Path file = sources.resolve(query.source().substring(0, query.source().indexOf(':')));
        if (!Files.isRegularFile(file)) {
            return " (source not found next to the bench: copy not checked)";
        }
        try {
            String source = squeeze(Files.readString(file));
            for (String fragment : query.fragments()) {
                if (!source.contains(squeeze(fragment))) {
                    return " (WARNING: the copy no longer matches the source: " + squeeze(fragment).substring(0,
                            Math.min(80, squeeze(fragment).length())) + "...)";
                }
            }
            return " (copy matches the source)";
        } catch (IOException e) {
            return " (source unreadable: " + e.getMessage() + ")";
        }
    }

    private static String squeeze(String text) {
        return text.replace("\\s", " ").replaceAll("\\s+", " ").strip();
    }

    /** Whether every copy still matches report-store's sources (true when they cannot be checked). */
    static boolean copiesMatch(List<Query> queries, Path sources) {
        return queries.stream().noneMatch(q -> sourceCheck(q, sources).contains("WARNING"));
    }
}
