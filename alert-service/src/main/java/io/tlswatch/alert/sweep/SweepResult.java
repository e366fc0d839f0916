package io.tlswatch.alert.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sweep did, as {@code POST /api/v1/sweeps} answers it. A domain shows once, under what
 * mattered most for it in this sweep (a domain alerted and then seen again in a later page shows as
 * alerted, not suppressed).
 *
 * @param events  failure events read (one per domain and report)
 * @param cursor  the shared cursor after the sweep
 * @param pending domains this replica will retry, and when
 */
public record SweepResult(
        @JsonProperty("started-at") Instant startedAt,
        @JsonProperty("finished-at") Instant finishedAt,
        @JsonProperty("events") long events,
        @JsonProperty("alerted") List<Alerted> alerted,
        @JsonProperty("suppressed") List<Suppressed> suppressed,
        @JsonProperty("failed") List<Failed> failed,
        @JsonProperty("no-recipients") List<DomainOnly> noRecipients,
        @JsonProperty("deferred") List<Deferred> deferred,
        @JsonProperty("skipped") List<Skipped> skipped,
        @JsonProperty("errors") List<Failed> errors,
        @JsonProperty("cursor") long cursor,
        @JsonProperty("pending") List<Deferred> pending) {

    /**
     * @param recorded false when report-store has not yet acknowledged "sent" (a later sweep records it)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alerted(@JsonProperty("domain") String domain, @JsonProperty("alert-id") Long alertId,
            @JsonProperty("recipients") List<String> recipients, @JsonProperty("message-id") String messageId,
            @JsonProperty("suppressed-until") Instant suppressedUntil, @JsonProperty("recorded") boolean recorded) {
    }

    public record Suppressed(@JsonProperty("domain") String domain, @JsonProperty("until") Instant until) {
    }

    /** A failed send (retried at {@code retry-at}) or a domain report-store could not be asked about. */
    public record Failed(@JsonProperty("domain") String domain, @JsonProperty("error") String error,
            @JsonProperty("retry-at") Instant retryAt) {
    }

    public record DomainOnly(@JsonProperty("domain") String domain) {
    }

    /** Waiting: {@code in-flight} (another sweep holds the claim) or {@code retry-pending}. */
    public record Deferred(@JsonProperty("domain") String domain, @JsonProperty("reason") String reason,
            @JsonProperty("until") Instant until) {
    }

    public record Skipped(@JsonProperty("domain") String domain, @JsonProperty("reason") String reason) {
    }

    /** True when the sweep read nothing and did nothing. */
    boolean isEmpty() {
        return events == 0 && alerted.isEmpty() && suppressed.isEmpty() && failed.isEmpty() && noRecipients.isEmpty()
                && deferred.isEmpty() && skipped.isEmpty() && errors.isEmpty();
    }

    String summary() {
        return "%d events; %d alerted, %d suppressed, %d failed, %d without recipients, %d deferred, %d errors; cursor %d"
                .formatted(events, alerted.size(), suppressed.size(), failed.size(), noRecipients.size(),
                        deferred.size(), errors.size(), cursor);
    }

    /** Collects a sweep's outcomes, one per domain. */
    static final class Builder {
        private static final List<DomainOutcome.Kind> WEIGHT = List.of(DomainOutcome.Kind.SKIPPED,
                DomainOutcome.Kind.SUPPRESSED, DomainOutcome.Kind.DEFERRED, DomainOutcome.Kind.ERROR,
                DomainOutcome.Kind.NO_RECIPIENTS, DomainOutcome.Kind.FAILED, DomainOutcome.Kind.SENT);

        private final Instant startedAt;
        private final Map<Long, DomainOutcome> outcomes = new LinkedHashMap<>();
        private long events;

        Builder(Instant startedAt) {
            this.startedAt = startedAt;
        }

        synchronized void events(int count) {
            events += count;
        }

        synchronized void add(DomainOutcome outcome) {
            outcomes.merge(outcome.work().domainId(), outcome,
                    (old, fresh) -> WEIGHT.indexOf(fresh.kind()) > WEIGHT.indexOf(old.kind()) ? fresh : old);
        }

        synchronized SweepResult build(Instant finishedAt, long cursor, Collection<SweepState.Pending> pending) {
            List<Alerted> alerted = new ArrayList<>();
            List<Suppressed> suppressed = new ArrayList<>();
            List<Failed> failed = new ArrayList<>();
            List<DomainOnly> noRecipients = new ArrayList<>();
            List<Deferred> deferred = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();
            List<Failed> errors = new ArrayList<>();
            for (DomainOutcome o : outcomes.values()) {
                String domain = o.work().domain();
                switch (o.kind()) {
                    case SENT -> alerted.add(new Alerted(domain, o.alertId(), o.recipients(), o.messageId(), o.until(),
                            o.recorded()));
                    case SUPPRESSED -> suppressed.add(new Suppressed(domain, o.until()));
                    case FAILED -> failed.add(new Failed(domain, o.detail(), o.until()));
                    case NO_RECIPIENTS -> noRecipients.add(new DomainOnly(domain));
                    case DEFERRED -> deferred.add(new Deferred(domain, o.detail(), o.until()));
                    case SKIPPED -> skipped.add(new Skipped(domain, o.detail()));
                    case ERROR -> errors.add(new Failed(domain, o.detail(), o.until()));
                }
            }
            List<Deferred> waiting = pending.stream()
                    .sorted(Comparator.comparing(SweepState.Pending::dueAt))
                    .map(p -> new Deferred(p.work().domain(), p.reason(), p.dueAt())).toList();
            return new SweepResult(startedAt, finishedAt, events, alerted, suppressed, failed, noRecipients, deferred,
                    skipped, errors, cursor, waiting);
        }
    }
}
