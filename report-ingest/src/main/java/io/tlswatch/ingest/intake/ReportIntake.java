package io.tlswatch.ingest.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tlswatch.ingest.config.IngestConfig;
import io.tlswatch.ingest.store.ReportStoreClient;
import io.tlswatch.ingest.store.ReportStoreClient.ReportRefusedException;
import io.tlswatch.ingest.store.ReportStoreClient.StoreUnavailableException;
import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.ParserLimits;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import io.tlswatch.tlsrpt.submission.MailMetadata;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What both channels do with one report: parse it (so a bad one is refused with its reason before it
 * costs the store anything), hand it to report-store, and count and log the outcome, one line per
 * report. Failures to store surface as {@link ReportStoreClient.StoreUnavailableException}: the
 * channel answers 503 / 451 so the sender retries.
 */
@ApplicationScoped
public class ReportIntake {

    private static final Logger LOG = Logger.getLogger(ReportIntake.class);
    /** Payloads above this are parsed on a worker thread, never on the event loop. */
    private static final int PARSE_INLINE_BYTES = 64 * 1024;

    private final TlsRptParser parser;
    private final ReportStoreClient store;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();
    // Meters looked up once per channel and outcome: building a meter's id and finding it in the
    // registry on every report cost more than counting it (docs/BENCHMARKS.md, report-ingest).
    private final Map<String, DistributionSummary> receivedBytes = new ConcurrentHashMap<>();
    private final Map<String, Timer> parseTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> commitTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ReportIntake(IngestConfig config, ReportStoreClient store, MeterRegistry metrics) {
        this.parser = new TlsRptParser(ParserLimits.DEFAULTS
                .withMaxCompressedBytes(config.ingest().maxReportSize())
                .withMaxDecompressedBytes(config.ingest().maxDecompressedSize())
                .withMaxCompressionRatio(config.ingest().maxCompressionRatio()));
        this.store = store;
        this.metrics = metrics;
    }

    public TlsRptParser parser() {
        return parser;
    }

    /**
     * Parses and stores one report. Completes with the outcome (stored, duplicate, invalid); fails with
     * StoreUnavailableException when report-store cannot take it now.
     */
    public Uni<Outcome> submit(String channel, byte[] payload, String remoteAddress, MailMetadata mail) {
        receivedBytes.computeIfAbsent(channel, c -> metrics.summary("tlswatch.ingest.received.bytes", "channel", c))
                .record(payload.length);
        Uni<TlsReport> parsed = Uni.createFrom().item(() -> parse(channel, payload));
        if (payload.length > PARSE_INLINE_BYTES) {
            parsed = parsed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return parsed
                .chain(report -> {
                    long started = System.nanoTime();
                    ReportSubmission submission = new ReportSubmission(channel, clock.instant(), remoteAddress,
                            payload, mail);
                    return store.store(submission)
                            // Timeouts and an open circuit come from fault tolerance, not the client.
                            .onFailure(t -> !(t instanceof ReportRefusedException || t instanceof StoreUnavailableException))
                            .transform(t -> new StoreUnavailableException("report-store: " + t, t))
                            .invoke(() -> timer(commitTimers, "tlswatch.ingest.commit", channel)
                                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
                            .map(result -> Outcome.stored(report, result))
                            .onFailure(ReportRefusedException.class).recoverWithItem(refused -> Outcome.invalid(
                                    new InvalidReportException(InvalidReportException.Reason.NOT_A_REPORT, "",
                                            refused.getMessage())));
                })
                .onFailure(InvalidReportException.class)
                .recoverWithItem(invalid -> Outcome.invalid((InvalidReportException) invalid))
                .invoke(outcome -> record(channel, remoteAddress, mail, outcome))
                .onFailure(StoreUnavailableException.class).invoke(unavailable -> {
                    count(channel, "unavailable", null);
                    LOG.warnf("report from %s over %s not stored, sender must retry: %s", remoteAddress, channel,
                            unavailable.getMessage());
                });
    }

    /** Counts a report refused before it reached the parser (rate limit, media type, size). */
    public void refused(String channel, String outcome, String remoteAddress, String why) {
        count(channel, outcome, null);
        LOG.infof("report from %s over %s refused (%s): %s", remoteAddress, channel, outcome, SafeText.safe(why, 1000));
    }

    private TlsReport parse(String channel, byte[] payload) {
        long started = System.nanoTime();
        try {
            return parser.parse(payload);
        } finally {
            timer(parseTimers, "tlswatch.ingest.parse", channel).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private void record(String channel, String remoteAddress, MailMetadata mail, Outcome outcome) {
        // Everything a sender wrote is made one printable line before it reaches a log.
        String submitter = mail == null || mail.submitter() == null ? "" : " submitter " + SafeText.safe(mail.submitter(), 200);
        switch (outcome.kind()) {
            case STORED, DUPLICATE -> {
                count(channel, outcome.kind() == Outcome.Kind.STORED ? "stored" : "duplicate", null);
                LOG.infof("report %s from %s (%s)%s over %s: %s as id %d", SafeText.safe(outcome.report().reportId(), 200),
                        SafeText.safe(outcome.report().organizationName(), 200), remoteAddress, submitter, channel,
                        outcome.kind() == Outcome.Kind.STORED ? "stored" : "duplicate", outcome.result().id());
            }
            case INVALID -> {
                InvalidReportException error = outcome.error();
                count(channel, error.reason().tooLarge() ? "too-large" : "invalid", error.reason().tag());
                LOG.infof("report from %s%s over %s refused (%s): %s", remoteAddress, submitter, channel,
                        error.reason().tag(), SafeText.safe(error.getMessage(), 1000));
            }
        }
    }

    private void count(String channel, String outcome, String reason) {
        String tag = reason == null ? "none" : reason;
        counters.computeIfAbsent(channel + '\n' + outcome + '\n' + tag, key -> metrics.counter("tlswatch.ingest.reports",
                "channel", channel, "outcome", outcome, "reason", tag)).increment();
    }

    private Timer timer(Map<String, Timer> cache, String name, String channel) {
        return cache.computeIfAbsent(channel, c -> Timer.builder(name).tag("channel", c).register(metrics));
    }
}
