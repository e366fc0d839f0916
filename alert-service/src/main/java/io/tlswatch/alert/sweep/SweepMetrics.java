package io.tlswatch.alert.sweep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The sweep's meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code tlswatch.alert.sweeps} [tlswatch_alert_sweeps_total{outcome=ok|error}] and
 * {@code tlswatch.alert.sweep.duration} [tlswatch_alert_sweep_duration_seconds];
 * <li>per domain: {@code tlswatch.alert.sent}, {@code .suppressed}, {@code .failed}, {@code .retried} (a send
 * under a claim that had failed before), {@code .no.recipients}, {@code .deferred{reason}};
 * <li>{@code tlswatch.alert.oldest.unhandled.age} [tlswatch_alert_oldest_unhandled_age_seconds]: how long the
 * oldest failure event that is not handled for good has waited, 0 when none. It grows between sweeps too,
 * so an alert on it fires when sweeps stop, when report-store holds events back, or when a domain's mail
 * keeps failing;
 * <li>{@code tlswatch.alert.pending.domains}: domains waiting for a retry or for another sweep.
 * </ul>
 */
@ApplicationScoped
public class SweepMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Counter sent;
    private final Counter suppressed;
    private final Counter failed;
    private final Counter retried;
    private final Counter noRecipients;

    SweepMetrics(MeterRegistry registry, SweepState state, Clock clock) {
        this.registry = registry;
        this.duration = Timer.builder("tlswatch.alert.sweep.duration").description("Time one alert sweep took")
                .register(registry);
        this.sent = Counter.builder("tlswatch.alert.sent").description("Alert mails the mail server took")
                .register(registry);
        this.suppressed = Counter.builder("tlswatch.alert.suppressed")
                .description("Domains with new failures not alerted because of their suppression window")
                .register(registry);
        this.failed = Counter.builder("tlswatch.alert.failed").description("Alert sends that failed (retried later)")
                .register(registry);
        this.retried = Counter.builder("tlswatch.alert.retried")
                .description("Alert sends that retried an earlier failed or abandoned attempt").register(registry);
        this.noRecipients = Counter.builder("tlswatch.alert.no.recipients")
                .description("Alerts not sent because the organisation has no alert address").register(registry);
        Gauge.builder("tlswatch.alert.oldest.unhandled.age", state, s -> age(s.oldestUnhandled(), clock))
                .description("Age of the oldest failure event not yet handled for good (0 when none)")
                .baseUnit("seconds").register(registry);
        Gauge.builder("tlswatch.alert.pending.domains", state, s -> s.pending().size())
                .description("Domains whose alert waits for a retry or for another sweep").register(registry);
    }

    void sweep(boolean ok, Duration took) {
        registry.counter("tlswatch.alert.sweeps", "outcome", ok ? "ok" : "error").increment();
        duration.record(took);
    }

    void outcome(DomainOutcome outcome) {
        switch (outcome.kind()) {
            case SENT -> sent.increment();
            case SUPPRESSED -> suppressed.increment();
            case FAILED -> failed.increment();
            case NO_RECIPIENTS -> noRecipients.increment();
            case DEFERRED -> registry.counter("tlswatch.alert.deferred", "reason", outcome.detail()).increment();
            default -> {
            }
        }
    }

    void retried() {
        retried.increment();
    }

    private static double age(Instant oldest, Clock clock) {
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }
}
