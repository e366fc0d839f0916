package io.tlswatch.store.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.Problem.FieldError;
import io.tlswatch.tlsrpt.FailureDetail;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import io.tlswatch.tlsrpt.submission.MailMetadata;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.tlswatch.tlsrpt.submission.StoreResult;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write path: stores a submitted report exactly once, with its policies and failure details,
 * each policy attributed to its closest registered domain, all in one transaction that commits before
 * the caller hears back. Written against the reactive SQL client rather than Hibernate because a
 * report may carry 100,000 failure details, which go in as one {@code unnest} insert.
 */
@ApplicationScoped
public class ReportStore {

    /** Reports at or below this size are parsed on the calling thread; larger ones on a worker. */
    private static final int PARSE_INLINE_BYTES = 64 * 1024;

    private final Pool pool;
    private final TlsRptParser parser;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    ReportStore(Pool pool, ObjectMapper json, Clock clock, MeterRegistry metrics) {
        this.pool = pool;
        this.parser = TlsRptParser.withDefaults();
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Uni<StoreResult> store(ReportSubmission submission) {
        validate(submission);
        Uni<TlsReport> parsed = Uni.createFrom().item(() -> parser.parse(submission.payload()));
        if (submission.payload().length > PARSE_INLINE_BYTES) {
            parsed = parsed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return parsed.chain(report -> pool.withTransaction(connection -> insert(connection, submission, report)))
                .invoke(stored -> count(submission.channel(), stored))
                .map(Stored::result);
    }

    /** The answer, and whether some policy of a new report matched no registered domain. */
    private record Stored(StoreResult result, boolean unclaimed) {
    }

    private Uni<Stored> insert(SqlConnection connection, ReportSubmission submission, TlsReport report) {
        MailMetadata mail = submission.mail();
        Tuple values = Tuple.tuple()
                .addString(report.organizationName())
                .addString(report.reportId())
                .addString(report.contactInfo())
                .addOffsetDateTime(report.dateRange().start().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(report.dateRange().end().atOffset(ZoneOffset.UTC))
                .addString(submission.channel())
                .addOffsetDateTime((submission.receivedAt() == null ? clock.instant() : submission.receivedAt())
                        .atOffset(ZoneOffset.UTC))
                .addString(submission.remoteAddress())
                .addString(mail == null ? null : mail.submitter())
                .addString(mail == null ? null : mail.headers())
                .addString(mail == null || mail.dkimSignatures() == null ? null : toJson(mail.dkimSignatures()))
                .addBuffer(Buffer.buffer(submission.payload()))
                .addLong(report.totalSuccessfulSessionCount())
                .addLong(report.totalFailureSessionCount());
        return connection.preparedQuery("""
                insert into report (organization_name, report_id, contact_info, start_time, end_time, channel,
                    received_at, remote_address, submitter, mail_headers, dkim_signatures, raw_payload,
                    successful_sessions, failed_sessions)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14)
                on conflict (lower(organization_name), report_id) do nothing
                returning id""").execute(values)
                .chain(inserted -> {
                    if (inserted.rowCount() == 0) {
                        return existingId(connection, report).map(id -> new Stored(new StoreResult(id, true), false));
                    }
                    long id = inserted.iterator().next().getLong("id");
                    return attribute(connection, report).chain(domains -> insertPolicies(connection, id, report, domains)
                            .replaceWith(new Stored(new StoreResult(id, false), report.policies().stream()
                                    .anyMatch(p -> DomainAttribution.closest(p.policy().policyDomain(), domains) == null))));
                });
    }

    private Uni<Long> existingId(SqlConnection connection, TlsReport report) {
        return connection.preparedQuery(
                        "select id from report where lower(organization_name) = lower($1) and report_id = $2")
                .execute(Tuple.of(report.organizationName(), report.reportId()))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** Registered domains that are a policy-domain or one of its parents, by name. */
    private Uni<Map<String, Long>> attribute(SqlConnection connection, TlsReport report) {
        Set<String> candidates = new LinkedHashSet<>();
        for (PolicyResult policy : report.policies()) {
            candidates.addAll(DomainAttribution.selfAndParents(policy.policy().policyDomain()));
        }
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // Registering or deleting a domain takes SHARE ROW EXCLUSIVE on report_policy; this lock waits for
        // that, so a domain registered while this report is stored cannot be missed by both sides.
        // ROW EXCLUSIVE does not conflict with itself: reports still store concurrently.
        return connection.query("lock table report_policy in row exclusive mode").execute()
                .chain(() -> connection.preparedQuery("select id, name from domain where name = any($1)")
                        .execute(Tuple.of(candidates.toArray(String[]::new))))
                .map(rows -> {
                    Map<String, Long> registered = new HashMap<>();
                    for (Row row : rows) {
                        registered.put(row.getString("name"), row.getLong("id"));
                    }
                    return registered;
                });
    }

    private Uni<Void> insertPolicies(SqlConnection connection, long reportId, TlsReport report,
            Map<String, Long> registered) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < report.policies().size(); i++) {
            PolicyResult policy = report.policies().get(i);
            Long domainId = DomainAttribution.closest(policy.policy().policyDomain(), registered);
            Tuple values = Tuple.tuple()
                    .addLong(reportId)
                    .addInteger(i)
                    .addString(policy.policy().policyType().wireName())
                    .addString(policy.policy().policyDomain())
                    .addArrayOfString(policy.policy().policyString().toArray(String[]::new))
                    .addArrayOfString(policy.policy().mxHost().toArray(String[]::new))
                    .addLong(policy.summary().totalSuccessfulSessionCount())
                    .addLong(policy.summary().totalFailureSessionCount())
                    .addLong(domainId)
                    .addOffsetDateTime(report.dateRange().start().atOffset(ZoneOffset.UTC));
            chain = chain.chain(() -> connection.preparedQuery("""
                            insert into report_policy (report_id, ordinal, policy_type, policy_domain, policy_strings,
                                mx_hosts, successful_sessions, failed_sessions, domain_id, start_time)
                            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id""").execute(values))
                    .chain(rows -> insertFailureDetails(connection, rows.iterator().next().getLong("id"),
                            policy.failureDetails()));
        }
        return chain;
    }

    private Uni<Void> insertFailureDetails(SqlConnection connection, long policyId, List<FailureDetail> details) {
        if (details.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = details.size();
        String[] resultType = new String[n];
        String[] sendingIp = new String[n];
        String[] mxHostname = new String[n];
        String[] mxHelo = new String[n];
        String[] receivingIp = new String[n];
        Long[] count = new Long[n];
        String[] additional = new String[n];
        String[] reason = new String[n];
        for (int i = 0; i < n; i++) {
            FailureDetail detail = details.get(i);
            resultType[i] = detail.resultType();
            sendingIp[i] = detail.sendingMtaIp();
            mxHostname[i] = detail.receivingMxHostname();
            mxHelo[i] = detail.receivingMxHelo();
            receivingIp[i] = detail.receivingIp();
            count[i] = detail.failedSessionCount();
            additional[i] = detail.additionalInformation();
            reason[i] = detail.failureReasonCode();
        }
        // One statement whatever the number of details; unnest keeps the arrays' order.
        return connection.preparedQuery("""
                        insert into failure_detail (policy_id, result_type, sending_mta_ip, receiving_mx_hostname,
                            receiving_mx_helo, receiving_ip, failed_session_count, additional_information,
                            failure_reason_code)
                        select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::bigint[], $8::text[], $9::text[])""")
                .execute(Tuple.tuple(List.of(policyId, resultType, sendingIp, mxHostname, mxHelo, receivingIp, count,
                        additional, reason)))
                .replaceWithVoid();
    }

    private static void validate(ReportSubmission submission) {
        List<FieldError> errors = new ArrayList<>();
        if (!ReportSubmission.HTTPS.equals(submission.channel()) && !ReportSubmission.SMTP.equals(submission.channel())) {
            errors.add(new FieldError("channel", "must be https or smtp"));
        }
        if (submission.payload() == null || submission.payload().length == 0) {
            errors.add(new FieldError("payload", "missing"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String channel, Stored stored) {
        metrics.counter(stored.result().duplicate() ? "tlswatch.reports.duplicate" : "tlswatch.reports.stored",
                "channel", channel).increment();
        if (stored.unclaimed()) {
            metrics.counter("tlswatch.reports.unclaimed", "channel", channel).increment();
        }
    }
}
