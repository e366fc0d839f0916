package io.tlswatch.store.alert;

import static io.tlswatch.store.config.Timestamps.instant;
import static io.tlswatch.store.config.Timestamps.utc;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.config.StoreConfig;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.tlsrpt.alerting.AlertView;
import io.tlswatch.tlsrpt.alerting.Claim;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Alert claims and their outcomes: the rule "one alert per domain per suppression window, across
 * restarts and replicas" lives here, in one transaction per claim.
 *
 * <p>A claim locks the domain's row ({@code for no key update}: claims of one domain queue behind each
 * other, while reports that reference the domain, which take {@code for key share}, are not held up),
 * then reads the domain's latest sent alert and its one open alert (claimed, or failed and waiting for
 * its retry; a unique index allows only one). It is refused while a sent alert is younger than the
 * window, while an open claim's lease runs, or while a failed send's retry time has not come. Otherwise
 * it wins: the open alert is taken over (a failed send is retried under the same alert, attempts keep
 * counting; an expired claim counts as one more attempt) or a new alert is started.
 *
 * <p>Every claim gets a new fencing token; an outcome is recorded only with the token of the claim that
 * holds the alert, so a sweep whose lease expired and was taken over gets 409. Until someone else takes
 * it over, the holder may still record its outcome after the lease ran out: the mail may have gone.
 * Recording the same outcome again with the same token answers the alert unchanged (a retried request).
 *
 * <p>Only a sent alert starts the suppression window. A failed send never does; nor does
 * "no recipients", so the domain is alerted as soon as a recipient is added and a new failure comes in.
 */
@ApplicationScoped
public class AlertService {

    /** The retry delay after the first failed send; it doubles with each further one, up to {@link #MAX_RETRY}. */
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY = Duration.ofHours(1);
    static final int MAX_ERROR_CHARS = 2000;

    private static final String VIEW = """
            a.id, d.name as domain, a.domain_id, a.status, a.claimed_at, a.lease_expires_at, a.sent_at,
            a.recipients, a.message_id, a.attempts, a.retry_at, a.last_error, a.failed_sessions, a.claim_token""";

    private final Pool pool;
    private final Clock clock;
    private final Duration window;
    private final Duration lease;
    private final MeterRegistry metrics;

    AlertService(Pool pool, Clock clock, StoreConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.clock = clock;
        this.window = config.alert().suppressionWindow();
        this.lease = config.alert().claimLease();
        this.metrics = metrics;
    }

    /** Wins the domain's alert slot, or fails with {@link AlertConflictException} saying until when not. */
    public Uni<Claim> claim(DomainRef ref) {
        Instant now = now();
        return pool.withTransaction(connection -> lockDomain(connection, ref)
                        .chain(domain -> claim(connection, domain, now)))
                .invoke(claim -> metrics.counter("tlswatch.alerts.claimed").increment())
                .onFailure(AlertConflictException.class).invoke(e -> metrics.counter("tlswatch.alerts.suppressed",
                        "reason", ((AlertConflictException) e).problem().reason()).increment());
    }

    private Uni<LockedDomain> lockDomain(SqlConnection connection, DomainRef ref) {
        return connection.preparedQuery("select d.id, d.name, d.organisation_id, d.tls_reporting_enabled from domain d "
                        + "where " + ref.condition() + " for no key update")
                .execute(Tuple.of(ref.parameter()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("no registered domain " + ref);
                    }
                    Row row = rows.iterator().next();
                    return new LockedDomain(row.getLong("id"), row.getString("name"), row.getLong("organisation_id"),
                            row.getBoolean("tls_reporting_enabled"));
                });
    }

    private Uni<Claim> claim(SqlConnection connection, LockedDomain domain, Instant now) {
        if (!domain.tlsReportingEnabled()) {
            return Uni.createFrom().failure(AlertConflictException.tlsReportingOff(domain.name()));
        }
        return connection.preparedQuery("""
                        select s.last_sent, o.id, o.status, o.lease_expires_at, o.retry_at
                        from (select max(sent_at) as last_sent from alert where domain_id = $1 and status = 'sent') s
                        left join lateral (select id, status, lease_expires_at, retry_at from alert
                                           where domain_id = $1 and status in ('claimed', 'failed')) o on true""")
                .execute(Tuple.of(domain.id()))
                .chain(rows -> {
                    Row state = rows.iterator().next();
                    Instant lastSent = instant(state, "last_sent");
                    if (lastSent != null && now.isBefore(lastSent.plus(window))) {
                        throw AlertConflictException.suppressed(domain.name(), lastSent.plus(window));
                    }
                    UUID token = UUID.randomUUID();
                    Long open = state.getLong("id");
                    if (open == null) {
                        return start(connection, domain, token, now);
                    }
                    if (AlertStatus.CLAIMED.equals(state.getString("status"))) {
                        Instant leaseEnd = instant(state, "lease_expires_at");
                        if (now.isBefore(leaseEnd)) {
                            throw AlertConflictException.inFlight(domain.name(), leaseEnd);
                        }
                        return takeOver(connection, domain, open, token, now, 1,
                                "the claim's lease expired at " + leaseEnd + " before sent or failed was recorded");
                    }
                    Instant retryAt = instant(state, "retry_at");
                    if (retryAt != null && now.isBefore(retryAt)) {
                        throw AlertConflictException.retryPending(domain.name(), retryAt);
                    }
                    return takeOver(connection, domain, open, token, now, 0, null);
                });
    }

    private Uni<Claim> start(SqlConnection connection, LockedDomain domain, UUID token, Instant now) {
        return connection.preparedQuery("""
                        insert into alert (domain_id, status, claimed_at, lease_expires_at, attempts, claim_token)
                        values ($1, 'claimed', $2, $3, 0, $4) returning id, attempts""")
                .execute(Tuple.of(domain.id(), utc(now), utc(now.plus(lease)), token))
                .map(rows -> won(rows.iterator().next(), domain, token, now));
    }

    private Uni<Claim> takeOver(SqlConnection connection, LockedDomain domain, long alertId, UUID token, Instant now,
            int addAttempts, String error) {
        return connection.preparedQuery("""
                        update alert set status = 'claimed', claimed_at = $2, lease_expires_at = $3, claim_token = $4,
                            retry_at = null, attempts = attempts + $5, last_error = coalesce($6::text, last_error)
                        where id = $1 returning id, attempts""")
                .execute(Tuple.tuple().addLong(alertId).addOffsetDateTime(utc(now))
                        .addOffsetDateTime(utc(now.plus(lease))).addUUID(token).addInteger(addAttempts)
                        .addString(error))
                .map(rows -> won(rows.iterator().next(), domain, token, now));
    }

    private Claim won(Row row, LockedDomain domain, UUID token, Instant now) {
        return new Claim(row.getLong("id"), token, domain.name(), domain.id(), domain.organisationId(), now,
                now.plus(lease), row.getInteger("attempts"));
    }

    /** The mail server took the alert: the domain's suppression window starts now. */
    public Uni<AlertView> markSent(long alertId, UUID claim, List<String> recipients, String messageId,
            Long failedSessions) {
        return outcome(alertId, claim, AlertStatus.SENT, """
                        status = 'sent', sent_at = $3, recipients = $4, message_id = $5,
                        failed_sessions = coalesce($6::bigint, a.failed_sessions), retry_at = null""",
                Tuple.tuple().addLong(alertId).addUUID(claim).addOffsetDateTime(utc(now()))
                        .addArrayOfString(recipients.toArray(String[]::new)).addString(messageId)
                        .addLong(failedSessions));
    }

    /**
     * The send failed: the claim is released, the attempt counted, and no claim is won before
     * {@code retryAt} (absent: 1 minute after the first failure, doubling up to 1 hour).
     */
    public Uni<AlertView> markFailed(long alertId, UUID claim, String error, Instant retryAt) {
        String truncated = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
        return outcome(alertId, claim, AlertStatus.FAILED, """
                        status = 'failed', attempts = a.attempts + 1, last_error = $3,
                        retry_at = coalesce($4::timestamptz, $5::timestamptz + make_interval(secs =>
                            least($6::float8, $7::float8 * power(2::float8, least(a.attempts, 30)))))""",
                Tuple.tuple().addLong(alertId).addUUID(claim).addString(truncated)
                        .addOffsetDateTime(retryAt == null ? null : utc(retryAt.truncatedTo(ChronoUnit.MICROS)))
                        .addOffsetDateTime(utc(now()))
                        .addDouble((double) MAX_RETRY.toSeconds()).addDouble((double) FIRST_RETRY.toSeconds()));
    }

    /** The organisation has no alert address: recorded for the history; no suppression window starts. */
    public Uni<AlertView> markNoRecipients(long alertId, UUID claim, Long failedSessions) {
        return outcome(alertId, claim, AlertStatus.NO_RECIPIENTS, """
                        status = 'no-recipients', failed_sessions = coalesce($3::bigint, a.failed_sessions),
                        retry_at = null""",
                Tuple.tuple().addLong(alertId).addUUID(claim).addLong(failedSessions));
    }

    /** Sets the outcome if {@code claim} holds the alert ($1 is its id, $2 the token); see the class comment. */
    private Uni<AlertView> outcome(long alertId, UUID claim, String status, String assignments, Tuple values) {
        return pool.preparedQuery("update alert a set " + assignments + """
                         from domain d
                        where a.id = $1 and a.claim_token = $2 and a.status = 'claimed' and d.id = a.domain_id
                        returning\s""" + VIEW)
                .execute(values)
                .chain(rows -> {
                    if (rows.size() > 0) {
                        metrics.counter("tlswatch.alerts." + status).increment();
                        return Uni.createFrom().item(view(rows.iterator().next()));
                    }
                    return pool.preparedQuery("select " + VIEW + " from alert a join domain d on d.id = a.domain_id "
                                    + "where a.id = $1")
                            .execute(Tuple.of(alertId))
                            .map(current -> {
                                if (current.size() == 0) {
                                    throw new NotFoundException("no alert " + alertId);
                                }
                                Row row = current.iterator().next();
                                if (claim.equals(row.getUUID("claim_token")) && status.equals(row.getString("status"))) {
                                    return view(row); // the same outcome again: a retried request
                                }
                                throw AlertConflictException.claimNotHeld(alertId, row.getString("domain"),
                                        row.getString("status"));
                            });
                });
    }

    /** One registered domain's alert history by name (the dashboard's domain page). */
    public Uni<AlertPage> history(String domainName, int page, int size) {
        return history(DomainRef.of(domainName, null, "domain"), page, size);
    }

    /** Alert history, newest claim first, of one domain or (ref null) of all. */
    public Uni<AlertPage> history(DomainRef ref, int page, int size) {
        long offset = (long) page * size;
        if (ref == null) {
            return pool.query("select count(*) as total from alert").execute()
                    .chain(count -> pool.preparedQuery("select " + VIEW + """
                                     from alert a join domain d on d.id = a.domain_id
                                    order by a.claimed_at desc, a.id desc limit $1 offset $2""")
                            .execute(Tuple.of((long) size, offset))
                            .map(rows -> page(rows, page, size, count.iterator().next().getLong("total"))));
        }
        return pool.preparedQuery("select d.id from domain d where " + ref.condition())
                .execute(Tuple.of(ref.parameter()))
                .chain(domains -> {
                    if (domains.size() == 0) {
                        throw new NotFoundException("no registered domain " + ref);
                    }
                    long domainId = domains.iterator().next().getLong("id");
                    return pool.preparedQuery("select count(*) as total from alert where domain_id = $1")
                            .execute(Tuple.of(domainId))
                            .chain(count -> pool.preparedQuery("select " + VIEW + """
                                             from alert a join domain d on d.id = a.domain_id
                                            where a.domain_id = $1
                                            order by a.claimed_at desc, a.id desc limit $2 offset $3""")
                                    .execute(Tuple.of(domainId, (long) size, offset))
                                    .map(rows -> page(rows, page, size, count.iterator().next().getLong("total"))));
                });
    }

    private AlertPage page(Iterable<Row> rows, int page, int size, long total) {
        List<AlertView> items = new ArrayList<>();
        for (Row row : rows) {
            items.add(view(row));
        }
        return new AlertPage(items, page, size, total);
    }

    private AlertView view(Row row) {
        String status = row.getString("status");
        Instant sentAt = instant(row, "sent_at");
        String[] recipients = row.getArrayOfStrings("recipients");
        return new AlertView(
                row.getLong("id"),
                row.getString("domain"),
                row.getLong("domain_id"),
                status,
                instant(row, "claimed_at"),
                instant(row, "lease_expires_at"),
                sentAt,
                AlertStatus.SENT.equals(status) && sentAt != null ? sentAt.plus(window) : null,
                recipients == null ? null : Arrays.asList(recipients),
                row.getString("message_id"),
                row.getInteger("attempts"),
                instant(row, "retry_at"),
                row.getString("last_error"),
                row.getLong("failed_sessions"));
    }

    /** The clock's time at the database's precision, so what is answered is what is stored. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private record LockedDomain(long id, String name, long organisationId, boolean tlsReportingEnabled) {
    }
}
