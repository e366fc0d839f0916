package io.tlswatch.bench;

import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Brings report-store's database to a given number of reports with SQL alone ({@code INSERT ...
 * SELECT} over {@code generate_series}), as fast as PostgreSQL writes, while report-store keeps
 * running. The rows are what report-store itself would have written for such reports:
 *
 * <ul>
 *   <li>organisations and registered domains topped up to the totals asked for (10 domains each);</li>
 *   <li>reports spread uniformly over the last {@code days} UTC days (95% start at 00:00Z, 5% at
 *       another hour), half of them for the busiest tenth of the domains, 2% for 20 unregistered
 *       domains (unclaimed) and 3% naming a {@code mail.} subdomain (claimed by its parent);</li>
 *   <li>senders weighted as in practice (Google 38%, Microsoft 28%, Yahoo, Mail.ru, Comcast, Zoho,
 *       Fastmail, GMX, Yandex, Proton, Orange), each with its usual report-id form; Microsoft's
 *       reports for the third of the domains with DANE carry a second, TLSA policy;</li>
 *   <li>10% with failures: 1 to 3 failure details (result types weighted as in
 *       {@link ReportGenerator}, receiving MX host, receiving IP on 60%, failure-reason-code on 28% of
 *       the types that have one), the summary being their sum;</li>
 *   <li>{@code raw_payload}: the report's JSON (json_build_object, so with spaces; 0.7 to 1.3 KiB),
 *       consistent with the rows: a sample is parsed back with {@link TlsRptParser} and compared.</li>
 * </ul>
 *
 * Report-ids never equal those of {@link StoreReportGenerator} (Google's form ends in {@code .N} here,
 * not {@code _N}; Microsoft's numbers differ by 1 modulo their step).
 *
 * <p>Rows go in chunks of {@code chunk} reports, each chunk its own transaction, with explicit ids
 * ({@code overriding system value}) so that policies and details can refer to them; the identity
 * sequences are moved past them at the end. Deterministic for a seed (one backend, no parallel workers).
 */
final class VolumeLoader {

    private static final String REPORTERS = """
            create temp table vol_reporter (ord int primary key, name text, contact text) on commit preserve rows;
            insert into vol_reporter values
              (0, 'Google Inc.', 'smtp-tls-reporting@google.com'),
              (1, 'Microsoft Corporation', 'tlsrpt-noreply@microsoft.com'),
              (2, 'Yahoo', 'tlsrpt@yahooinc.com'),
              (3, 'Mail.ru', 'tls_support@corp.mail.ru'),
              (4, 'Comcast', 'tlsrpt@comcast.net'),
              (5, 'Zoho Corporation', 'tls-reports@zoho.com'),
              (6, 'Fastmail Pty Ltd', 'tlsrpt@fastmail.com'),
              (7, 'GMX', 'tlsrpt@gmx.net'),
              (8, 'Yandex', 'tlsrpt@yandex-team.ru'),
              (9, 'Proton AG', 'tlsrpt@proton.me'),
              (10, 'Orange', 'tlsrpt@orange.fr');
            """;

    private final Connection connection;
    private final Consumer<String> log;

    VolumeLoader(Connection connection, Consumer<String> log) {
        this.connection = connection;
        this.log = log;
    }

    /** Adds organisations and domains (named by {@link StoreBenchmark#domainNames}) up to the totals. */
    void topUpDomains(int organisations, int domains) throws SQLException {
        long existingOrganisations = count("select count(*) from organisation");
        long existingDomains = count("select count(*) from domain");
        List<Long> newOrganisations = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into organisation (name, created_at) values (?, now() - interval '90 days') returning id")) {
            for (long i = existingOrganisations; i < organisations; i++) {
                insert.setString(1, String.format("Organisation %03d", i + 1));
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    newOrganisations.add(rows.getLong(1));
                }
            }
        }
        if (newOrganisations.isEmpty() && existingDomains < domains) {
            throw new IllegalStateException("no organisation left to give the new domains to");
        }
        List<String> names = StoreBenchmark.domainNames((int) existingDomains, domains);
        try (PreparedStatement insert = connection.prepareStatement("insert into domain (organisation_id, name, "
                + "tls_reporting_enabled, created_at) values (?, ?, ?, now() - interval '90 days')")) {
            for (int i = 0; i < names.size(); i++) {
                insert.setLong(1, newOrganisations.get(i % newOrganisations.size()));
                insert.setString(2, names.get(i));
                insert.setBoolean(3, i % 50 != 49); // 2% have TLS reporting switched off
                insert.addBatch();
            }
            insert.executeBatch();
        }
        log.accept("volume: " + count("select count(*) from organisation") + " organisations, "
                + count("select count(*) from domain") + " domains");
    }

    /** Inserts reports until there are {@code target}; returns how many were added. */
    long load(long target, int days, int chunk, double seed) throws SQLException {
        long existing = count("select count(*) from report");
        long n = target - existing;
        if (n <= 0) {
            return 0;
        }
        long t0 = System.nanoTime();
        execute("set max_parallel_workers_per_gather = 0");
        execute("select setseed(" + seed + ")");
        execute(REPORTERS);
        // Registered domains by id (the first tenth are the busy ones), then 20 unregistered names.
        execute("""
                create temp table vol_domain on commit preserve rows as
                    select (row_number() over (order by id) - 1)::int as ord, id, name from domain;
                insert into vol_domain select (select count(*) from domain)::int + g, null, 'unregistered-' || g || '.example'
                    from generate_series(0, 19) g;
                create unique index on vol_domain (ord);
                """);
        long registered = count("select count(*) from domain");
        long busy = Math.max(1, registered / 10);
        // One row per report, every random choice made here once.
        execute("""
                create temp table vol_pick on commit preserve rows as
                select i,
                    case when u_domain < 0.02 then %1$d + floor(u_which * 20)::int
                         when u_domain < 0.51 then floor(u_which * %2$d)::int
                         else %2$d + floor(u_which * (%1$d - %2$d))::int end as dom,
                    width_bucket(random(), array[0.38, 0.66, 0.74, 0.79, 0.84, 0.88, 0.91, 0.94, 0.96, 0.98]) as rep,
                    1 + floor(random() * %3$d)::int as days_ago,
                    case when random() < 0.05 then 1 + floor(random() * 23)::int else 0 end as start_hour,
                    random() < 0.03 as mail_subdomain,
                    random() < 0.10 as testing,
                    1 + floor(exp(random() * 8))::bigint as successful,
                    case when random() < 0.10 then 1 + floor(random() * 3)::int else 0 end as details,
                    floor(random() * 360)::int as delay_minutes
                from (select i, random() as u_domain, random() as u_which from generate_series(1::bigint, %4$d) i) s;
                """.formatted(registered, busy, days, n));
        execute("""
                create temp table vol_detail on commit preserve rows as
                select p.i, k,
                    (array['starttls-not-supported', 'certificate-host-mismatch', 'certificate-expired',
                           'certificate-not-trusted', 'validation-failure', 'tlsa-invalid', 'dnssec-invalid',
                           'dane-required', 'sts-policy-fetch-error', 'sts-policy-invalid', 'sts-webpki-invalid'])
                        [1 + width_bucket(random(), array[0.22, 0.36, 0.48, 0.66, 0.76, 0.79, 0.81, 0.82, 0.91, 0.95])]
                        as result_type,
                    case when random() < 0.7
                         then (array['209.85.', '40.92.', '40.107.', '52.100.', '74.125.', '185.70.'])[1 + floor(random() * 6)::int]
                              || floor(random() * 256)::int || '.' || (1 + floor(random() * 254)::int)
                         else '2607:f8b0:4864:' || to_hex(floor(random() * 65536)::int) || '::'
                              || to_hex(1 + floor(random() * 4095)::int) end as sending_ip,
                    1 + floor(random() * 2)::int as mx,
                    random() < 0.6 as with_ip,
                    1 + floor(exp(random() * 5))::bigint as failed,
                    random() < 0.28 as with_reason
                from vol_pick p cross join lateral generate_series(1, p.details) k
                where p.details > 0;
                create index on vol_detail (i);
                """);
        // Everything derived, per report: names, period, the sender's report-id, sessions.
        execute("""
                create temp table vol_report on commit preserve rows as
                select p.i, d.id as domain_id, r.name as organization_name, r.contact,
                    case when p.mail_subdomain and d.id is not null then 'mail.' || d.name else d.name end as policy_domain,
                    (date_trunc('day', now() at time zone 'UTC') - p.days_ago * interval '1 day'
                        + p.start_hour * interval '1 hour') at time zone 'UTC' as start_time,
                    p.rep, p.testing, p.successful, coalesce(f.failed, 0) as failed, p.delay_minutes,
                    p.rep = 1 and d.id is not null and d.ord %% 3 = 0 as tlsa
                from vol_pick p
                join vol_domain d on d.ord = p.dom
                join vol_reporter r on r.ord = p.rep
                left join (select i, sum(failed) as failed from vol_detail group by i) f on f.i = p.i;
                alter table vol_report add primary key (i);
                """.formatted());
        long reportBase = count("select coalesce(max(id), 0) from report");
        long policyBase = count("select coalesce(max(id), 0) from report_policy");
        log.accept(String.format("volume: %,d reports chosen in %.0f s; inserting in chunks of %,d", n,
                (System.nanoTime() - t0) / 1e9, chunk));
        connection.setAutoCommit(false);
        for (long from = 1; from <= n; from += chunk) {
            long to = Math.min(n, from + chunk - 1);
            insertChunk(reportBase, policyBase, from, to);
            connection.commit();
            log.accept(String.format("volume: %,d / %,d reports (%.0f s)", to, n, (System.nanoTime() - t0) / 1e9));
        }
        connection.setAutoCommit(true);
        execute("select setval(pg_get_serial_sequence('report', 'id'), (select max(id) from report))");
        execute("select setval(pg_get_serial_sequence('report_policy', 'id'), (select max(id) from report_policy))");
        checkSample(reportBase, n);
        execute("drop table vol_detail, vol_report, vol_pick, vol_domain, vol_reporter");
        execute("reset max_parallel_workers_per_gather");
        return n;
    }

    private void insertChunk(long reportBase, long policyBase, long from, long to) throws SQLException {
        String range = " between " + from + " and " + to;
        execute("""
                insert into report (id, organization_name, report_id, contact_info, start_time, end_time, channel,
                    received_at, remote_address, raw_payload, successful_sessions, failed_sessions)
                overriding system value
                select %1$d + v.i, v.organization_name, x.report_id, v.contact, v.start_time,
                    v.start_time + interval '1 day' - interval '1 second', 'https',
                    v.start_time + interval '1 day' + v.delay_minutes * interval '1 minute',
                    case when v.rep in (0, 1) then null else '198.51.100.' || (v.i %% 250 + 1) end,
                    convert_to(json_strip_nulls(json_build_object(
                        'organization-name', v.organization_name,
                        'date-range', json_build_object('start-datetime', x.start_text, 'end-datetime', x.end_text),
                        'contact-info', v.contact,
                        'report-id', x.report_id,
                        'policies', case when v.tlsa
                            then json_build_array(x.sts, json_build_object(
                                'policy', json_build_object('policy-type', 'tlsa',
                                    'policy-string', json_build_array(x.tlsa_string), 'policy-domain', v.policy_domain),
                                'summary', json_build_object('total-successful-session-count', v.successful,
                                    'total-failure-session-count', 0)))
                            else json_build_array(x.sts) end))::text, 'UTF8'),
                    v.successful * (case when v.tlsa then 2 else 1 end), v.failed
                from vol_report v
                cross join lateral (select
                    to_char(v.start_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start_text,
                    to_char((v.start_time + interval '1 day' - interval '1 second') at time zone 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS"Z"') as end_text,
                    case v.rep
                        when 0 then to_char(v.start_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                            || '_' || v.policy_domain || '.' || v.i
                        when 1 then (133925885310113268 + v.i * 7919)::text || '+' || v.policy_domain
                        else md5(v.i::text)::uuid::text || '@' || split_part(v.contact, '@', 2) end as report_id,
                    '["3 1 1 ' || upper(md5(v.policy_domain) || md5(v.policy_domain || '1')) || '","3 1 1 '
                        || upper(md5(v.policy_domain || '2') || md5(v.policy_domain || '3')) || '"]' as tlsa_string,
                    json_build_object(
                        'policy', json_build_object('policy-type', 'sts',
                            'policy-string', json_build_array('version: STSv1',
                                case when v.testing then 'mode: testing' else 'mode: enforce' end,
                                'mx: mx1.' || v.policy_domain, 'mx: mx2.' || v.policy_domain, 'max_age: 604800'),
                            'policy-domain', v.policy_domain,
                            'mx-host', json_build_array('mx1.' || v.policy_domain, 'mx2.' || v.policy_domain)),
                        'summary', json_build_object('total-successful-session-count', v.successful,
                            'total-failure-session-count', v.failed),
                        'failure-details', (select json_agg(json_build_object(
                                'result-type', f.result_type, 'sending-mta-ip', f.sending_ip,
                                'receiving-mx-hostname', 'mx' || f.mx || '.' || v.policy_domain,
                                'receiving-ip', case when f.with_ip then '203.0.113.' || (10 + f.mx) end,
                                'failed-session-count', f.failed,
                                'failure-reason-code', case when f.with_reason then %2$s end) order by f.k)
                            from vol_detail f where f.i = v.i)) as sts) x
                where v.i %3$s
                """.formatted(reportBase, REASON, range));
        execute("""
                insert into report_policy (id, report_id, ordinal, policy_type, policy_domain, policy_strings,
                    mx_hosts, successful_sessions, failed_sessions, domain_id, start_time)
                overriding system value
                select %2$d + 2 * v.i - 1, %1$d + v.i, 0, 'sts', v.policy_domain,
                    array['version: STSv1', case when v.testing then 'mode: testing' else 'mode: enforce' end,
                          'mx: mx1.' || v.policy_domain, 'mx: mx2.' || v.policy_domain, 'max_age: 604800'],
                    array['mx1.' || v.policy_domain, 'mx2.' || v.policy_domain],
                    v.successful, v.failed, v.domain_id, v.start_time
                from vol_report v where v.i %3$s
                union all
                select %2$d + 2 * v.i, %1$d + v.i, 1, 'tlsa', v.policy_domain,
                    array['["3 1 1 ' || upper(md5(v.policy_domain) || md5(v.policy_domain || '1')) || '","3 1 1 '
                        || upper(md5(v.policy_domain || '2') || md5(v.policy_domain || '3')) || '"]'],
                    array[]::text[], v.successful, 0, v.domain_id, v.start_time
                from vol_report v where v.tlsa and v.i %3$s
                """.formatted(reportBase, policyBase, range));
        execute("""
                insert into failure_detail (policy_id, result_type, sending_mta_ip, receiving_mx_hostname,
                    receiving_mx_helo, receiving_ip, failed_session_count, additional_information, failure_reason_code)
                select %1$d + 2 * f.i - 1, f.result_type, f.sending_ip, 'mx' || f.mx || '.' || v.policy_domain, null,
                    case when f.with_ip then '203.0.113.' || (10 + f.mx) end, f.failed, null,
                    case when f.with_reason then %2$s end
                from vol_detail f join vol_report v on v.i = f.i
                where f.i %3$s
                order by f.i, f.k
                """.formatted(policyBase, REASON, range));
    }

    /** failure-reason-code texts by result type, for the alias f (null for types without one). */
    private static final String REASON = """
            case f.result_type
                when 'certificate-expired' then 'X509_V_ERR_CERT_HAS_EXPIRED'
                when 'certificate-not-trusted' then 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
                when 'certificate-host-mismatch' then 'X509_V_ERR_HOSTNAME_MISMATCH'
                when 'validation-failure' then 'X509_V_ERR_CERT_SIGNATURE_FAILURE'
                when 'sts-policy-fetch-error' then 'bad https response code: 404'
                when 'starttls-not-supported' then 'no STARTTLS in EHLO response' end""";

    /** Parses a few stored payloads back and checks them against their rows. */
    private void checkSample(long reportBase, long n) throws SQLException {
        TlsRptParser parser = TlsRptParser.withDefaults();
        int checked = 0;
        try (PreparedStatement select = connection.prepareStatement("""
                select r.raw_payload, r.report_id, r.successful_sessions, r.failed_sessions,
                    (select count(*) from report_policy p where p.report_id = r.id),
                    (select count(*) from failure_detail f join report_policy p on p.id = f.policy_id where p.report_id = r.id)
                from report r where r.id = any(?)""")) {
            Long[] ids = new Long[50];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = reportBase + 1 + (long) ((n - 1) * (i / (double) (ids.length - 1)));
            }
            select.setArray(1, connection.createArrayOf("bigint", ids));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    TlsReport report = parser.parse(rows.getBytes(1));
                    long details = report.policies().stream().mapToLong(p -> p.failureDetails().size()).sum();
                    if (!report.reportId().equals(rows.getString(2))
                            || report.totalSuccessfulSessionCount() != rows.getLong(3)
                            || report.totalFailureSessionCount() != rows.getLong(4)
                            || report.policies().size() != rows.getLong(5) || details != rows.getLong(6)) {
                        throw new IllegalStateException("volume: payload of report " + rows.getString(2)
                                + " does not match its rows");
                    }
                    checked++;
                }
            }
        }
        log.accept("volume: " + checked + " sample payloads parse and match their rows");
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
