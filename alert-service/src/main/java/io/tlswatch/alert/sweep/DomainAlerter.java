package io.tlswatch.alert.sweep;

import io.smallrye.mutiny.Uni;
import io.tlswatch.alert.client.ReportStoreClient;
import io.tlswatch.alert.client.ReportStoreClient.ClaimResult;
import io.tlswatch.alert.client.StoreException;
import io.tlswatch.alert.config.AlertConfig;
import io.tlswatch.alert.mail.AlertMail;
import io.tlswatch.alert.mail.AlertMailer;
import io.tlswatch.alert.mail.Untrusted;
import io.tlswatch.alert.sweep.DomainOutcome.Kind;
import io.tlswatch.tlsrpt.alerting.AlertContext;
import io.tlswatch.tlsrpt.alerting.AlertView;
import io.tlswatch.tlsrpt.alerting.Claim;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Alerts one domain: claim, read its context, mail, record the outcome. Exactly once rests on two
 * things: only the holder of report-store's claim sends, and "sent" is recorded only after the mail
 * server took the message (then retried, never re-sent, if recording fails).
 */
@ApplicationScoped
class DomainAlerter {

    private static final Logger LOG = Logger.getLogger(DomainAlerter.class);
    /** When report-store does not say until when a refusal holds. */
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);

    private final ReportStoreClient store;
    private final AlertMailer mailer;
    private final SweepState state;
    private final SweepMetrics metrics;
    private final Clock clock;
    private final Duration configuredWindow;

    DomainAlerter(ReportStoreClient store, AlertMailer mailer, SweepState state, SweepMetrics metrics, Clock clock,
            AlertConfig config) {
        this.store = store;
        this.mailer = mailer;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
        this.configuredWindow = config.alert().suppressionWindow();
    }

    /** Never fails: every way it can end is a {@link DomainOutcome}. */
    Uni<DomainOutcome> alert(DomainWork work) {
        Instant now = clock.instant();
        Instant quietUntil = state.suppressedUntil(work.domainId(), now);
        if (quietUntil != null) {
            return Uni.createFrom().item(DomainOutcome.of(Kind.SUPPRESSED, work, quietUntil, null));
        }
        return store.claim(work.domainId())
                .chain(result -> {
                    if (result instanceof ClaimResult.Won won) {
                        return alert(work, won.claim());
                    }
                    if (result instanceof ClaimResult.Refused refused) {
                        return Uni.createFrom().item(refused(work, refused, now));
                    }
                    return Uni.createFrom().item(DomainOutcome.of(Kind.SKIPPED, work, null, "no longer registered"));
                })
                .onFailure().recoverWithItem(e -> DomainOutcome.of(Kind.ERROR, work, now,
                        "report-store could not be asked: " + e.getMessage()));
    }

    private static DomainOutcome refused(DomainWork work, ClaimResult.Refused refused, Instant now) {
        Instant until = refused.until();
        return switch (refused.reason()) {
            case StoreException.Conflict.SUPPRESSED -> DomainOutcome.of(Kind.SUPPRESSED, work, until, null);
            case StoreException.Conflict.TLS_REPORTING_OFF ->
                    DomainOutcome.of(Kind.SKIPPED, work, null, "TLS reporting is off");
            case StoreException.Conflict.IN_FLIGHT, StoreException.Conflict.RETRY_PENDING ->
                    DomainOutcome.of(Kind.DEFERRED, work, until == null ? now.plus(DEFAULT_WAIT) : until,
                            refused.reason());
            default -> DomainOutcome.of(Kind.DEFERRED, work, until == null ? now.plus(DEFAULT_WAIT) : until, "other");
        };
    }

    private Uni<DomainOutcome> alert(DomainWork work, Claim claim) {
        if (claim.attempts() > 0) {
            metrics.retried();
        }
        Instant now = clock.instant();
        return context(work, now)
                .onItemOrFailure().transformToUni((context, failure) -> {
                    if (failure != null) {
                        return failed(work, claim, "could not read the alert context from report-store: "
                                + failure.getMessage());
                    }
                    if (context.isEmpty()) {
                        return failed(work, claim, "the domain is no longer registered").map(
                                o -> DomainOutcome.of(Kind.SKIPPED, work, null, "no longer registered"));
                    }
                    return alert(work, claim, context.get(), now);
                });
    }

    private Uni<DomainOutcome> alert(DomainWork work, Claim claim, Context context, Instant now) {
        AlertContext.Summary summary = context.alert().summary();
        long failedSessions = summary != null && summary.reports() > 0 ? summary.failedSessions()
                : work.failedSessions();
        List<String> recipients = Untrusted.addresses(context.alert().recipients());
        if (recipients.size() < context.alert().recipients().size()) {
            LOG.warnf("Alert for domain %d: %d of its alert addresses are not plain addresses and were left out",
                    work.domainId(), context.alert().recipients().size() - recipients.size());
        }
        if (recipients.isEmpty()) {
            return store.markNoRecipients(claim.alertId(), claim.claim(), failedSessions)
                    .map(view -> DomainOutcome.of(Kind.NO_RECIPIENTS, work, null, null))
                    .onFailure().recoverWithItem(e -> DomainOutcome.of(Kind.ERROR, work, claim.leaseExpiresAt(),
                            "could not record 'no recipients': " + e.getMessage()));
        }
        AlertMail mail = mailer.compose(context.alert(),
                new AlertMailer.Evidence(work.failedSessions(), work.reporters(), work.earliestStart(), work.latestStart()),
                now, context.window());
        String messageId = mailer.messageId(claim.alertId(), claim.claim());
        return mailer.send(mail, recipients, messageId)
                .onItemOrFailure().transformToUni((sent, failure) -> {
                    if (failure != null) {
                        return failed(work, claim, "the mail server did not take the alert: " + describe(failure));
                    }
                    return recordSent(work, new SweepState.Unrecorded(claim.alertId(), claim.claim(), work.domain(),
                            recipients, messageId, failedSessions), now.plus(context.window()));
                });
    }

    /** Records "sent"; if report-store cannot be told now, a later sweep tells it (never sends again). */
    private Uni<DomainOutcome> recordSent(DomainWork work, SweepState.Unrecorded sent, Instant quietUntil) {
        return record(sent)
                .map(view -> new DomainOutcome(Kind.SENT, work,
                        view.map(AlertView::suppressedUntil).orElse(quietUntil), null, sent.recipients(),
                        sent.messageId(), sent.alertId(), true))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Alert %d for %s was mailed but report-store has not recorded it yet (%s); "
                            + "the next sweep records it", sent.alertId(), Untrusted.text(sent.domain()), e.getMessage());
                    state.unrecorded(sent);
                    return new DomainOutcome(Kind.SENT, work, quietUntil, null, sent.recipients(), sent.messageId(),
                            sent.alertId(), false);
                });
    }

    /**
     * Tells report-store the alert was sent. Empty when the claim was no longer ours (its lease ran out
     * and another sweep took the alert over): the mail is out either way, so that is not an error.
     */
    Uni<Optional<AlertView>> record(SweepState.Unrecorded sent) {
        return store.markSent(sent.alertId(), sent.claim(), sent.recipients(), sent.messageId(), sent.failedSessions())
                .map(Optional::of)
                .onFailure(StoreException.Conflict.class).recoverWithItem(e -> {
                    LOG.warnf("Alert %d for %s was mailed, but its claim had been taken over: %s", sent.alertId(),
                            Untrusted.text(sent.domain()), e.getMessage());
                    return Optional.empty();
                })
                .onFailure(StoreException.NotFound.class).recoverWithItem(Optional.empty())
                .invoke(() -> state.recorded(sent.alertId()));
    }

    /** Releases the claim for a retry; report-store sets the retry time (backoff from 1 minute to 1 hour). */
    private Uni<DomainOutcome> failed(DomainWork work, Claim claim, String error) {
        String why = Untrusted.text(error, 1000);
        LOG.warnf("Alert %d for %s failed: %s", claim.alertId(), Untrusted.text(work.domain()), why);
        return store.markFailed(claim.alertId(), claim.claim(), why)
                .map(view -> DomainOutcome.of(Kind.FAILED, work, view.retryAt(), why))
                // Not recorded: the claim stays ours until its lease ends, then a retry takes it over.
                .onFailure().recoverWithItem(e -> DomainOutcome.of(Kind.FAILED, work, claim.leaseExpiresAt(), why));
    }

    /**
     * The domain's alert context. report-store picks the period (its suppression window back from now),
     * which tells us its window; when the events include a report whose period starts before that (a late
     * report), the period is widened to cover it.
     */
    private Uni<Optional<Context>> context(DomainWork work, Instant now) {
        Instant until = work.latestStart() != null && !work.latestStart().isBefore(now)
                ? work.latestStart().plusSeconds(1) : now;
        return store.alertContext(work.domainId(), null, until).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<Context>empty());
            }
            AlertContext.Summary summary = found.get().summary();
            Duration window = summary != null && summary.since() != null && summary.until() != null
                    && summary.since().isBefore(summary.until())
                    ? Duration.between(summary.since(), summary.until()) : configuredWindow;
            if (summary != null && summary.since() != null && work.earliestStart() != null
                    && work.earliestStart().isBefore(summary.since())) {
                return store.alertContext(work.domainId(), work.earliestStart(), until)
                        .map(wider -> wider.map(context -> new Context(context, window)));
            }
            return Uni.createFrom().item(Optional.of(new Context(found.get(), window)));
        });
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** An alert context and report-store's suppression window. */
    private record Context(AlertContext alert, Duration window) {
    }
}
