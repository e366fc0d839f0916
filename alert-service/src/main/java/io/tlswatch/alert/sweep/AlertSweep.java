package io.tlswatch.alert.sweep;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tlswatch.alert.client.ReportStoreClient;
import io.tlswatch.alert.config.AlertConfig;
import io.tlswatch.tlsrpt.alerting.FailureEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One sweep: record sends report-store has not acknowledged, retry the domains that are due, then read
 * the failure events after the cursor page by page and alert each domain in them.
 *
 * <p><b>The cursor.</b> report-store keeps one durable cursor for all replicas. It is moved only to a
 * position before which every event's domain is handled for good: sent, suppressed, no recipients, or
 * never alerted (TLS reporting off, domain gone). A domain whose send failed (report-store then holds the
 * retry time), whose claim another sweep holds, or that could not be asked keeps the cursor before the
 * page that brought it. So nothing is lost on a restart: a fresh replica reads again from the cursor,
 * finds those domains, and report-store's claim rule decides (retry-pending until the retry time, then a
 * new attempt; suppressed if another replica sent it meanwhile). Between restarts a replica does not
 * re-read: it remembers how far it read and retries its pending domains when they are due
 * ({@link SweepState}).
 *
 * <p><b>Several sweeps at once</b> (replicas, or a scheduled and an on-demand sweep) read the same
 * events; report-store's claim lets one of them mail a domain and refuses the others (in flight, then
 * suppressed). A sweep keeps a domain pending while another holds its claim, so a replica that dies
 * mid-send cannot take the domain's events with it: the claim's lease runs out and the next sweep
 * takes it over.
 */
@ApplicationScoped
public class AlertSweep {

    private static final Logger LOG = Logger.getLogger(AlertSweep.class);
    /** How often the cursor is moved past stretches that gave no event (see {@link #saveIdleCursor}). */
    static final Duration IDLE_CURSOR_MOVE = Duration.ofMinutes(1);

    private final ReportStoreClient store;
    private final DomainAlerter alerter;
    private final SweepState state;
    private final SweepMetrics metrics;
    private final Clock clock;
    private final AlertConfig.Alert config;

    AlertSweep(ReportStoreClient store, DomainAlerter alerter, SweepState state, SweepMetrics metrics, Clock clock,
            AlertConfig config) {
        this.store = store;
        this.alerter = alerter;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config.alert();
    }

    /** Runs a sweep; fails only when report-store cannot be read (what was done until then stays done). */
    public Uni<SweepResult> sweep() {
        SweepResult.Builder result = new SweepResult.Builder(clock.instant());
        long started = System.nanoTime();
        state.forgetExpired(clock.instant());
        return recordUnrecorded()
                .chain(() -> store.cursor(config.cursorName()))
                .map(state::startFrom)
                .call(position -> {
                    List<DomainWork> due = state.due(clock.instant());
                    return alertAll(due, result).call(() -> due.isEmpty() ? saveIdleCursor() : saveCursor());
                })
                .chain(position -> readFrom(position, 0, result))
                .map(done -> result.build(clock.instant(), state.durable(), state.pending()))
                .invoke(done -> {
                    metrics.sweep(true, Duration.ofNanos(System.nanoTime() - started));
                    if (!done.isEmpty()) {
                        LOG.infof("Alert sweep: %s", done.summary());
                    }
                })
                .onFailure().invoke(e -> metrics.sweep(false, Duration.ofNanos(System.nanoTime() - started)));
    }

    /** Reads pages from {@code after} until one has no events, or the per-sweep page limit. */
    private Uni<Void> readFrom(long after, int pagesRead, SweepResult.Builder result) {
        return store.failureEvents(after, config.pageSize()).chain(page -> {
            result.events(page.events().size());
            // Until they are handled, this page's events are the oldest unread ones (or older ones still are).
            state.oldestUnread(page.oldestPendingAt());
            return alertAll(group(page.events(), after), result)
                    .invoke(() -> {
                        if (page.events().isEmpty()) {
                            state.read(page.nextCursor());
                        } else {
                            state.readEvents(page.nextCursor());
                        }
                    })
                    .call(() -> page.events().isEmpty() ? saveIdleCursor() : saveCursor())
                    .chain(() -> {
                        boolean again = (page.more() || !page.events().isEmpty()) && page.nextCursor() > after;
                        if (again && pagesRead + 1 < config.maxPagesPerSweep()) {
                            return readFrom(page.nextCursor(), pagesRead + 1, result);
                        }
                        // The last page read answers for everything after it (and for itself when it was cut).
                        state.oldestUnread(page.oldestPendingAt());
                        return Uni.createFrom().voidItem();
                    });
        });
    }

    /** The page's events by domain, each merged with what is pending for that domain already. */
    private Collection<DomainWork> group(List<FailureEvent> events, long pageStart) {
        Map<Long, DomainWork> byDomain = new LinkedHashMap<>();
        for (FailureEvent event : events) {
            byDomain.merge(event.domainId(), DomainWork.of(event, pageStart), DomainWork::merge);
        }
        byDomain.replaceAll((id, work) -> state.withPending(work));
        return byDomain.values();
    }

    private Uni<Void> alertAll(Collection<DomainWork> domains, SweepResult.Builder result) {
        if (domains.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(List.copyOf(domains))
                .onItem().transformToUni(alerter::alert).merge(Math.max(1, config.concurrency()))
                .invoke(outcome -> {
                    state.settle(outcome, clock.instant());
                    metrics.outcome(outcome);
                    result.add(outcome);
                })
                .collect().last().replaceWithVoid();
    }

    /** Moves the shared cursor as far as is safe; a failure here only delays it to the next page or sweep. */
    private Uni<Void> saveCursor() {
        long target = state.safePosition();
        if (target <= state.durable()) {
            return Uni.createFrom().voidItem();
        }
        return store.advanceCursor(config.cursorName(), target)
                .invoke(position -> state.durableIs(position, clock.instant()))
                .onFailure().invoke(e -> LOG.warnf("Could not move the sweep cursor to %d: %s", target, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * After a page with no events the cursor would only move past reports that gave none, and past other
     * transactions' ids. That spares a restarted replica reading them again, nothing more; but every move is a
     * write in report-store, and its transaction id moves the watermark once more, so that an idle service
     * would write at every sweep, forever, and an empty sweep would cost a round trip and a commit more. Such
     * moves are made at most once per {@link #IDLE_CURSOR_MOVE}. Events handled since the last move (a page
     * with events, a pending domain settled, a move that failed) are always followed at once.
     */
    private Uni<Void> saveIdleCursor() {
        Instant moved = state.cursorMovedAt();
        boolean handledSince = Math.min(state.safePosition(), state.eventsReadTo()) > state.durable();
        if (!handledSince && moved != null && clock.instant().isBefore(moved.plus(IDLE_CURSOR_MOVE))) {
            return Uni.createFrom().voidItem();
        }
        return saveCursor();
    }

    /** Sends of earlier sweeps that report-store has not recorded yet: record them first. */
    private Uni<Void> recordUnrecorded() {
        List<SweepState.Unrecorded> unrecorded = state.unrecorded();
        if (unrecorded.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(unrecorded)
                .onItem().transformToUni(sent -> alerter.record(sent).onFailure().recoverWithNull()).merge(4)
                .collect().last().replaceWithVoid();
    }
}
