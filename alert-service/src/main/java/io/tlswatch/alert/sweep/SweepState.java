package io.tlswatch.alert.sweep;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one replica remembers between sweeps. None of it is needed for correctness after a restart: the
 * durable cursor in report-store is kept behind every domain that is not handled for good, so a fresh
 * replica finds those domains again by reading from it. Everything here only spares work:
 *
 * <ul>
 * <li>{@code readPosition}: how far this replica has read the failure events (at least the durable cursor);
 * <li>{@code pending}: domains whose alert is not settled yet (failed send waiting for its retry, a claim
 * held by another sweep, report-store unreachable), retried when due without reading their events again;
 * <li>{@code suppressedUntil}: domains report-store called suppressed, so that their next events in the
 * window do not cost a claim each;
 * <li>{@code unrecorded}: mails the server took whose "sent" report-store has not acknowledged yet.
 * </ul>
 *
 * Safe for sweeps running at once (a scheduled one and one on demand): every update is per key, and the
 * cursor only ever moves forward.
 */
@ApplicationScoped
public class SweepState {

    /** A domain whose alert is not settled, and when to try it again. */
    record Pending(DomainWork work, Instant dueAt, String reason) {
    }

    /** A sent alert report-store has not recorded yet. */
    record Unrecorded(long alertId, UUID claim, String domain, List<String> recipients, String messageId,
            Long failedSessions) {
    }

    private final AtomicLong readPosition = new AtomicLong(-1);
    private final AtomicLong durable = new AtomicLong(-1);
    private final AtomicLong eventsReadTo = new AtomicLong(-1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, Instant> suppressedUntil = new ConcurrentHashMap<>();
    private final Map<Long, Unrecorded> unrecorded = new ConcurrentHashMap<>();
    private volatile Instant oldestUnread;
    private volatile Instant cursorMovedAt;

    /** Learns the durable cursor: reading starts there, or further on if this replica has read further. */
    long startFrom(long durablePosition) {
        durable.accumulateAndGet(durablePosition, Math::max);
        return readPosition.accumulateAndGet(durablePosition, Math::max);
    }

    /** Every event up to {@code position} has been handled or is {@linkplain #pending pending}. */
    void read(long position) {
        readPosition.accumulateAndGet(position, Math::max);
    }

    /** As {@link #read}, for a page that had events: the shared cursor should follow without delay. */
    void readEvents(long position) {
        read(position);
        eventsReadTo.accumulateAndGet(position, Math::max);
    }

    /** The end of the last page with events this replica read; -1 when none. */
    long eventsReadTo() {
        return eventsReadTo.get();
    }

    /** Where the shared cursor may go: before the earliest pending domain's events, else as far as read. */
    long safePosition() {
        long safe = readPosition.get();
        for (Pending p : pending.values()) {
            safe = Math.min(safe, p.work().fromPosition());
        }
        return safe;
    }

    long durable() {
        return durable.get();
    }

    /** This replica moved the shared cursor at {@code at}; report-store answered {@code position}. */
    void durableIs(long position, Instant at) {
        durable.accumulateAndGet(position, Math::max);
        cursorMovedAt = at;
    }

    /** When this replica last moved the shared cursor; null when it has not yet. */
    Instant cursorMovedAt() {
        return cursorMovedAt;
    }

    /** Records an outcome: settled domains leave the pending set, the others (re)join it. */
    void settle(DomainOutcome outcome, Instant now) {
        long id = outcome.work().domainId();
        if (outcome.kind().settled) {
            pending.remove(id);
        } else {
            Instant due = outcome.until() == null || outcome.until().isBefore(now) ? now : outcome.until();
            pending.merge(id, new Pending(outcome.work(), due, outcome.detail()),
                    (old, fresh) -> new Pending(old.work().union(fresh.work()), fresh.dueAt(), fresh.reason()));
        }
        if ((outcome.kind() == DomainOutcome.Kind.SUPPRESSED || outcome.kind() == DomainOutcome.Kind.SENT)
                && outcome.until() != null) {
            suppressedUntil.merge(id, outcome.until(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** The pending domain's events merged into {@code work}, so a retry covers everything seen so far. */
    DomainWork withPending(DomainWork work) {
        Pending p = pending.get(work.domainId());
        return p == null ? work : p.work().merge(work);
    }

    /** Pending domains whose time has come, in the order they became pending. */
    List<DomainWork> due(Instant now) {
        List<DomainWork> due = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (!p.dueAt().isAfter(now)) {
                due.add(p.work());
            }
        }
        due.sort((a, b) -> Long.compare(a.fromPosition(), b.fromPosition()));
        return due;
    }

    Collection<Pending> pending() {
        return List.copyOf(pending.values());
    }

    /** When the domain's quiet period ends, if report-store said it is suppressed now. */
    Instant suppressedUntil(long domainId, Instant now) {
        Instant until = suppressedUntil.get(domainId);
        if (until != null && !until.isAfter(now)) {
            suppressedUntil.remove(domainId, until);
            return null;
        }
        return until;
    }

    void forgetExpired(Instant now) {
        suppressedUntil.values().removeIf(until -> !until.isAfter(now));
    }

    void unrecorded(Unrecorded sent) {
        unrecorded.put(sent.alertId(), sent);
    }

    void recorded(long alertId) {
        unrecorded.remove(alertId);
    }

    List<Unrecorded> unrecorded() {
        return List.copyOf(unrecorded.values());
    }

    /** received-at of the oldest alertable report not read yet (null: none), as report-store last said. */
    void oldestUnread(Instant receivedAt) {
        oldestUnread = receivedAt;
    }

    /** The oldest failure event not handled for good: unread, or read and pending. Null when none. */
    Instant oldestUnhandled() {
        Instant oldest = oldestUnread;
        for (Pending p : pending.values()) {
            Instant at = p.work().oldestReceivedAt();
            if (at != null && (oldest == null || at.isBefore(oldest))) {
                oldest = at;
            }
        }
        return oldest;
    }

    /** Forgets everything, as a restart would (tests use it to play a restarted replica). */
    void reset() {
        readPosition.set(-1);
        durable.set(-1);
        eventsReadTo.set(-1);
        pending.clear();
        suppressedUntil.clear();
        unrecorded.clear();
        oldestUnread = null;
        cursorMovedAt = null;
    }
}
