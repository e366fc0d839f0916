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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The write path: stores a submitted report exactly once, with its policies and failure details,
 * each policy attributed to its closest registered domain, in one statement (so one transaction) that
 * commits before the caller hears back. A report may carry 100,000 failure details: they go in as
 * arrays through {@code unnest}.
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
        return parsed.chain(report -> insert(submission, report))
                .invoke(stored -> count(submission.channel(), stored))
                .map(Stored::result);
    }

    /** The answer, and whether some policy of a new report matched no registered domain. */
    private record Stored(StoreResult result, boolean unclaimed) {
    }

    /**
     * The whole report in one statement, which is its own transaction: the report row, its policies
     * each attributed to the closest registered domain, and their failure details. One round trip to
     * PostgreSQL per report, where a statement per row cost six or seven.
     *
     * <p>Attribution cannot miss a domain registered meanwhile: registering or deleting a domain takes
     * SHARE ROW EXCLUSIVE on report_policy ({@code DomainClaims.lock}), which conflicts with the ROW
     * EXCLUSIVE lock this statement takes on report_policy, its insert target, when it is planned.
     * PostgreSQL takes a statement's snapshot after its locks (READ COMMITTED), so either the
     * registration commits first and this statement sees the new domain, or this statement commits
     * first and the registration, waiting for it, claims its policies. Reports still store concurrently:
     * ROW EXCLUSIVE does not conflict with itself. (ReportClaimingTest holds a registration open while a
     * report is stored to check this.)
     *
     * <p>Arrays carry the variable parts, flattened with the ordinal of the policy each element belongs
     * to; unnest ... with ordinality keeps their order, so ids follow the report's order as before.
     * Attribution candidates are each policy-domain and its parents, closest first
     * ({@link DomainAttribution#selfAndParents}); the first registered one wins.
     *
     * <p>The arrays reach unnest through the materialized CTE {@code arg}, not as parameters directly.
     * The statement is a cached prepared statement, and PostgreSQL plans one with the actual values
     * (a custom plan) until a plan for any values (generic) does not look dearer. unnest of a
     * parameter is sized from the array in a custom plan but guessed in a generic one, so the generic
     * plan always looked dearer and the statement was planned afresh for every report, which doubled
     * PostgreSQL's CPU per report. Through a CTE column both plans see the same guess, and from the
     * sixth report on a connection the generic plan is reused (docs/BENCHMARKS.md, report-store).
     */
    static final String STORE = """
            with arg as materialized (
                select $15::text[] as policy_type, $16::text[] as policy_domain, $17::bigint[] as successful,
                    $18::bigint[] as failed, $19::int[] as string_policy, $20::text[] as string_value,
                    $21::int[] as mx_policy, $22::text[] as mx_value, $23::int[] as candidate_policy,
                    $24::text[] as candidate_name, $25::int[] as detail_policy, $26::text[] as result_type,
                    $27::text[] as sending_mta_ip, $28::text[] as receiving_mx_hostname,
                    $29::text[] as receiving_mx_helo, $30::text[] as receiving_ip,
                    $31::bigint[] as failed_session_count, $32::text[] as additional_information,
                    $33::text[] as failure_reason_code),
            new_report as (
                insert into report (organization_name, report_id, contact_info, start_time, end_time, channel,
                    received_at, remote_address, submitter, mail_headers, dkim_signatures, raw_payload,
                    successful_sessions, failed_sessions)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14)
                on conflict (lower(organization_name), report_id) do nothing
                returning id, start_time),
            new_policy as (
                insert into report_policy (report_id, ordinal, policy_type, policy_domain, policy_strings,
                    mx_hosts, successful_sessions, failed_sessions, domain_id, start_time)
                select r.id, (p.n - 1)::int, p.policy_type, p.policy_domain,
                    array(select s.value from unnest(arg.string_policy, arg.string_value) with ordinality s(policy, value, n)
                          where s.policy = p.n - 1 order by s.n),
                    array(select m.value from unnest(arg.mx_policy, arg.mx_value) with ordinality m(policy, value, n)
                          where m.policy = p.n - 1 order by m.n),
                    p.successful, p.failed,
                    (select d.id from unnest(arg.candidate_policy, arg.candidate_name) with ordinality c(policy, name, n)
                     join domain d on d.name = c.name
                     where c.policy = p.n - 1 order by c.n limit 1),
                    r.start_time
                from new_report r, arg,
                    unnest(arg.policy_type, arg.policy_domain, arg.successful, arg.failed) with ordinality
                        p(policy_type, policy_domain, successful, failed, n)
                order by p.n
                returning id, ordinal, domain_id),
            new_detail as (
                insert into failure_detail (policy_id, result_type, sending_mta_ip, receiving_mx_hostname,
                    receiving_mx_helo, receiving_ip, failed_session_count, additional_information,
                    failure_reason_code)
                select np.id, f.result_type, f.sending_mta_ip, f.receiving_mx_hostname, f.receiving_mx_helo,
                    f.receiving_ip, f.failed_session_count, f.additional_information, f.failure_reason_code
                from arg, unnest(arg.detail_policy, arg.result_type, arg.sending_mta_ip, arg.receiving_mx_hostname,
                        arg.receiving_mx_helo, arg.receiving_ip, arg.failed_session_count, arg.additional_information,
                        arg.failure_reason_code) with ordinality
                    f(policy, result_type, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo, receiving_ip,
                      failed_session_count, additional_information, failure_reason_code, n)
                join new_policy np on np.ordinal = f.policy
                order by f.n)
            select r.id, exists (select 1 from new_policy p where p.domain_id is null) as unclaimed
            from new_report r""";

    private Uni<Stored> insert(ReportSubmission submission, TlsReport report) {
        return pool.preparedQuery(STORE).execute(values(submission, report))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return existingId(report).map(id -> new Stored(new StoreResult(id, true), false));
                    }
                    Row row = rows.iterator().next();
                    return Uni.createFrom().item(new Stored(new StoreResult(row.getLong("id"), false),
                            row.getBoolean("unclaimed")));
                });
    }

    private Tuple values(ReportSubmission submission, TlsReport report) {
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

        List<PolicyResult> policies = report.policies();
        int n = policies.size();
        String[] type = new String[n];
        String[] domain = new String[n];
        Long[] successful = new Long[n];
        Long[] failed = new Long[n];
        Flattened strings = new Flattened();
        Flattened mxHosts = new Flattened();
        Flattened candidates = new Flattened();
        int details = 0;
        for (int i = 0; i < n; i++) {
            PolicyResult policy = policies.get(i);
            type[i] = policy.policy().policyType().wireName();
            domain[i] = policy.policy().policyDomain();
            successful[i] = policy.summary().totalSuccessfulSessionCount();
            failed[i] = policy.summary().totalFailureSessionCount();
            strings.addAll(i, policy.policy().policyString());
            mxHosts.addAll(i, policy.policy().mxHost());
            candidates.addAll(i, DomainAttribution.selfAndParents(domain[i]));
            details += policy.failureDetails().size();
        }
        values.addArrayOfString(type).addArrayOfString(domain).addArrayOfLong(successful).addArrayOfLong(failed);
        strings.addTo(values);
        mxHosts.addTo(values);
        candidates.addTo(values);

        Integer[] detailPolicy = new Integer[details];
        String[] resultType = new String[details];
        String[] sendingIp = new String[details];
        String[] mxHostname = new String[details];
        String[] mxHelo = new String[details];
        String[] receivingIp = new String[details];
        Long[] count = new Long[details];
        String[] additional = new String[details];
        String[] reason = new String[details];
        int d = 0;
        for (int i = 0; i < n; i++) {
            for (FailureDetail detail : policies.get(i).failureDetails()) {
                detailPolicy[d] = i;
                resultType[d] = detail.resultType();
                sendingIp[d] = detail.sendingMtaIp();
                mxHostname[d] = detail.receivingMxHostname();
                mxHelo[d] = detail.receivingMxHelo();
                receivingIp[d] = detail.receivingIp();
                count[d] = detail.failedSessionCount();
                additional[d] = detail.additionalInformation();
                reason[d] = detail.failureReasonCode();
                d++;
            }
        }
        return values.addArrayOfInteger(detailPolicy).addArrayOfString(resultType).addArrayOfString(sendingIp)
                .addArrayOfString(mxHostname).addArrayOfString(mxHelo).addArrayOfString(receivingIp)
                .addArrayOfLong(count).addArrayOfString(additional).addArrayOfString(reason);
    }

    /** Values of several policies in one array, each with the ordinal of its policy in a second array. */
    private static final class Flattened {
        private final List<Integer> policy = new ArrayList<>();
        private final List<String> value = new ArrayList<>();

        void addAll(int ordinal, List<String> values) {
            for (String v : values) {
                policy.add(ordinal);
                value.add(v);
            }
        }

        void addTo(Tuple tuple) {
            tuple.addArrayOfInteger(policy.toArray(Integer[]::new)).addArrayOfString(value.toArray(String[]::new));
        }
    }

    private Uni<Long> existingId(TlsReport report) {
        return pool.preparedQuery(
                        "select id from report where lower(organization_name) = lower($1) and report_id = $2")
                .execute(Tuple.of(report.organizationName(), report.reportId()))
                .map(rows -> rows.iterator().next().getLong("id"));
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
