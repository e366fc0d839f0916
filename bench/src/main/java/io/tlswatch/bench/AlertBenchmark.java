package io.tlswatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.system.Http;
import io.tlswatch.system.ServiceProcess;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.subethamail.smtp.server.SMTPServer;

/**
 * alert-service's two performance targets (issue 5; docs/BENCHMARKS.md, section alert-service), in one
 * run against the real parts:
 *
 * <ol>
 *   <li>Starts an embedded PostgreSQL (zonky), report-store's and alert-service's packaged jars as child
 *       processes on free ports, and an SMTP server (subethasmtp) in this JVM that notes the instant it
 *       accepts each message (the end of DATA, just before its 250).</li>
 *   <li>Volume: fills report-store's database to {@code --volume} reports with SQL ({@link VolumeLoader},
 *       as StoreBenchmark does; 10% with failures, for 1,000 domains of 100 organisations, each given one
 *       alert address), then VACUUM ANALYZE; only then starts alert-service (sweep interval
 *       {@code --interval}) and waits until its cursor has passed every failure event (it mails each
 *       failing domain once, then finds the rest suppressed).</li>
 *   <li>Empty sweeps: {@code --sweeps} rounds of six round trips from this JVM, in rotating order:
 *       {@code POST /api/v1/sweeps} (a sweep with nothing new: alert-service reads the cursor and the
 *       events after it from report-store); alert-service's readiness check (alert-service pings
 *       report-store: the same two hops doing nothing); and straight to report-store its
 *       {@code /internal/v1/ping}, the cursor, the events after it and a {@code PUT} of the cursor at
 *       its own position (what a sweep asks, one by one). alert-service's own sweep timer ({@code tlswatch_alert_sweep_duration_seconds} at
 *       {@code /q/metrics}) gives the sweep's cost inside the service over the same period. Then
 *       EXPLAIN (ANALYZE, BUFFERS) of the event queries at the cursor ({@code alert-plans.txt}).</li>
 *   <li>Alert latency: registers {@code --alerts} new domains (10 per organisation, one alert address
 *       each) through the admin API, then stores one failing report for each through
 *       {@code /internal/v1/reports} as a Poisson stream of {@code --rate} reports per second (so at
 *       random moments relative to the sweep), noting when each store call returned (the commit). The
 *       latency of an alert is from that instant to the SMTP server's acceptance of its mail. It then
 *       waits for every mail and a few sweeps more, and counts missing, duplicate and unexpected ones;
 *       then EXPLAIN of the event queries under {@code force_generic_plan} from before those reports.</li>
 *   <li>Writes {@code name: value} lines and {@code alert-latest.json}, and stops everything.</li>
 * </ol>
 *
 * {@code java -cp bench/target/benchmarks.jar io.tlswatch.bench.AlertBenchmark --help} lists the options.
 */
public final class AlertBenchmark {

    private static final String SUBJECT = "TLS delivery failures reported for ";
    private static final String CURSOR = "alert-sweep";

    private final Options options;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Http admin = new Http();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final MailLog mails = new MailLog();
    private BenchPostgres postgres;
    private SMTPServer smtp;
    private ServiceProcess store;
    private ServiceProcess alert;

    private AlertBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        new AlertBenchmark(options).run();
    }

    private void run() throws Exception {
        Files.createDirectories(options.results);
        meta();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        try {
            startPostgres();
            startSmtp();
            startStore();
            volume();
            startAlert();
            statementStats(null);
            catchUp();
            statementStats("catch-up");
            emptySweeps();
            statementStats("empty sweeps");
            plans();
            long beforeLatency = watermark() - 1;
            latency();
            statementStats("alert latency");
            genericPlans(beforeLatency);
            figures.put("run.load_average_end", RunFacts.loadAverage());
            verdicts();
            write();
        } finally {
            stop();
        }
    }

    // ---------------------------------------------------------------- set-up

    private void meta() {
        RunFacts.describe(figures, "report-store", "alert-service", "bench/src");
        figures.put("run.options", options.describe());
        figures.put("run.load_average_start", RunFacts.loadAverage());
    }

    private void startPostgres() throws Exception {
        postgres = BenchPostgres.start(options.sharedBuffers, options.synchronousCommit, options.statementStats,
                "tlswatch");
        figures.put("run.postgresql", postgres.version());
    }

    private Connection connect(String database) throws SQLException {
        return postgres.connect(database);
    }

    private void startSmtp() {
        smtp = SMTPServer.port(ServiceProcess.freePort()).bindAddress(java.net.InetAddress.getLoopbackAddress())
                .hostName("smtp.bench.example")
                .messageHandler((context, from, to, data) -> mails.accepted(System.nanoTime(), data))
                .build();
        smtp.start();
        log("SMTP server on port " + smtp.getPortAllocated());
    }

    private void startStore() {
        store = StoreBenchmark.startReportStore(options.storeJar, options.storeJvmArgs, postgres, "tlswatch",
                options.results.resolve("alert-store-service.log"));
    }

    private void startAlert() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_REST_CLIENT_REPORT_STORE_URL", store.baseUrl());
        env.put("TLSWATCH_ADMIN_TOKEN", StoreBenchmark.ADMIN_TOKEN);
        env.put("TLSWATCH_INTERNAL_TOKEN", StoreBenchmark.INTERNAL_TOKEN);
        env.put("TLSWATCH_ALERT_SWEEP_INTERVAL", options.interval);
        env.put("TLSWATCH_DASHBOARD_URL", "https://tlswatch.bench.example");
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", Integer.toString(smtp.getPortAllocated()));
        env.put("QUARKUS_MAILER_FROM", "TLSWatch <tlswatch@bench.example>");
        Path log = options.results.resolve("alert-service.log");
        long t0 = System.nanoTime();
        alert = new ServiceProcess("alert-service", options.alertJar, options.alertJvmArgs, env, log)
                .start(Duration.ofMinutes(3));
        log(String.format("alert-service (pid %d) ready on port %d in %.1f s, sweep interval %s; log in %s",
                alert.pid(), alert.httpPort(), (System.nanoTime() - t0) / 1e9, options.interval, log));
    }

    private void stop() {
        for (ServiceProcess process : new ServiceProcess[] {alert, store}) {
            if (process != null) {
                process.close();
            }
        }
        alert = null;
        store = null;
        if (smtp != null) {
            smtp.stop();
            smtp = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    // ---------------------------------------------------------------- volume and catch-up

    private void volume() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = connect("tlswatch")) {
            VolumeLoader loader = new VolumeLoader(c, AlertBenchmark::log);
            loader.topUpDomains(options.organisations, options.domains);
            long added = loader.load(options.volume, options.days, options.chunk, 0.846);
            double load = (System.nanoTime() - t0) / 1e9;
            long v0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                // One alert address per organisation: catching up then mails each failing domain once, and its
                // suppression lets the sweep pass the rest of the volume's events without asking report-store.
                s.execute("insert into alert_recipient (organisation_id, address, created_at) "
                        + "select id, 'noc@volume-org-' || id || '.example', now() from organisation");
                s.execute("vacuum analyze");
            }
            log(String.format("volume: %,d reports added in %.0f s, VACUUM ANALYZE %.0f s", added, load,
                    (System.nanoTime() - v0) / 1e9));
            put("volume.load_seconds", load);
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("""
                    select (select count(*) from report), (select count(*) from report where failed_sessions > 0),
                        (select count(*) from domain), (select count(*) from organisation),
                        pg_database_size(current_database())""")) {
                rows.next();
                figures.put("volume.reports", rows.getLong(1));
                figures.put("volume.reports_with_failures", rows.getLong(2));
                figures.put("volume.domains", rows.getLong(3));
                figures.put("volume.organisations", rows.getLong(4));
                figures.put("volume.database_mib", rows.getLong(5) / (1024 * 1024));
            }
        }
    }

    /**
     * Waits until alert-service's cursor has passed every failure event of the volume: a burst of about a
     * thousand alerts, then events of domains already alerted.
     */
    private void catchUp() throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(options.catchUpMinutes).toNanos();
        while (true) {
            long position = json.readTree(get(store.baseUrl() + "/internal/v1/cursors/" + CURSOR,
                    StoreBenchmark.INTERNAL_TOKEN)).get("position").asLong();
            JsonNode page = json.readTree(get(store.baseUrl() + "/internal/v1/failure-events?after=" + position
                    + "&limit=1", StoreBenchmark.INTERNAL_TOKEN));
            if (position > 0 && page.get("events").isEmpty() && !page.get("more").asBoolean()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("alert-service's cursor did not catch up within "
                        + options.catchUpMinutes + " minutes (at " + position + ")");
            }
            Thread.sleep(500);
        }
        Map<String, Double> m = metrics();
        put("catch_up.seconds", (System.nanoTime() - t0) / 1e9);
        figures.put("catch_up.sweeps", m.getOrDefault("tlswatch_alert_sweeps_total", 0.0).longValue());
        figures.put("catch_up.sent", m.getOrDefault("tlswatch_alert_sent_total", 0.0).longValue());
        figures.put("catch_up.mails_received", mails.total());
        figures.put("catch_up.suppressed", m.getOrDefault("tlswatch_alert_suppressed_total", 0.0).longValue());
        figures.put("catch_up.failed", m.getOrDefault("tlswatch_alert_failed_total", 0.0).longValue());
        log(String.format("alert-service caught up in %.0f s: %s", (System.nanoTime() - t0) / 1e9, m));
        Thread.sleep(3000); // let the sweep after the last one settle, so that every later sweep is empty
    }

    // ---------------------------------------------------------------- empty sweeps

    private void emptySweeps() throws Exception {
        URI sweep = URI.create(alert.baseUrl() + "/api/v1/sweeps");
        URI ready = URI.create("http://127.0.0.1:" + alert.managementPort() + "/q/health/ready");
        URI ping = URI.create(store.baseUrl() + "/internal/v1/ping");
        // What an empty sweep asks report-store, asked from here: where it is, and what came after it.
        long cursor = json.readTree(get(store.baseUrl() + "/internal/v1/cursors/" + CURSOR,
                StoreBenchmark.INTERNAL_TOKEN)).get("position").asLong();
        URI cursorUri = URI.create(store.baseUrl() + "/internal/v1/cursors/" + CURSOR);
        URI events = URI.create(store.baseUrl() + "/internal/v1/failure-events?after=" + cursor + "&limit=100");
        String internal = "Bearer " + StoreBenchmark.INTERNAL_TOKEN;
        String[] names = {"sweep", "ready", "ping", "store_cursor", "store_events", "store_cursor_put"};
        HttpRequest[] requests = {
                HttpRequest.newBuilder(sweep).header("Authorization", "Bearer " + StoreBenchmark.ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpRequest.newBuilder(ready).GET().build(),
                HttpRequest.newBuilder(ping).header("Authorization", internal).GET().build(),
                HttpRequest.newBuilder(cursorUri).header("Authorization", internal).GET().build(),
                HttpRequest.newBuilder(events).header("Authorization", internal).GET().build(),
                // Not ahead of the cursor, so it moves nothing, but it is the same statement (a row lock, a commit).
                HttpRequest.newBuilder(cursorUri).header("Authorization", internal)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"position\":" + cursor + "}")).build()};
        double[][] samples = new double[names.length][options.sweeps];
        long notEmpty = 0;
        Map<String, Double> before = null;
        long t0 = 0;
        for (int round = -options.sweepWarmup; round < options.sweeps; round++) {
            if (round == 0) {
                before = metrics();
                t0 = System.nanoTime();
            }
            for (int k = 0; k < names.length; k++) {
                int which = Math.floorMod(round + k, names.length); // the order rotates every round
                long start = System.nanoTime();
                HttpResponse<byte[]> response = http.send(requests[which], HttpResponse.BodyHandlers.ofByteArray());
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException(names[which] + " answered " + response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
                if (which == 0) {
                    JsonNode result = json.readTree(response.body());
                    if (result.get("events").asLong() != 0 || !result.get("alerted").isEmpty()) {
                        notEmpty++;
                    }
                }
                if (round >= 0) {
                    samples[which][round] = elapsed / 1e6;
                }
            }
            Thread.sleep(options.sweepPauseMillis); // between rounds, as sweeps come in practice: not back to back
        }
        Map<String, Double> after = metrics();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, double[]> sorted = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            double[] ms = samples[k].clone();
            Arrays.sort(ms);
            sorted.put(names[k], ms);
            String prefix = "empty_sweep.round_trip." + names[k];
            put(prefix + ".p50_ms", StoreBenchmark.percentile(ms, 0.50));
            put(prefix + ".p95_ms", StoreBenchmark.percentile(ms, 0.95));
            put(prefix + ".p99_ms", StoreBenchmark.percentile(ms, 0.99));
            put(prefix + ".max_ms", ms[ms.length - 1]);
            log(String.format("empty sweep round trip %-5s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %6.2f ms",
                    names[k], StoreBenchmark.percentile(ms, 0.50), StoreBenchmark.percentile(ms, 0.95),
                    StoreBenchmark.percentile(ms, 0.99), ms[ms.length - 1]));
        }
        for (double p : new double[] {0.50, 0.95, 0.99}) {
            String at = "p" + Math.round(p * 100);
            put("empty_sweep.ratio_sweep_to_ready." + at, StoreBenchmark.percentile(sorted.get("sweep"), p)
                    / StoreBenchmark.percentile(sorted.get("ready"), p));
            put("empty_sweep.added_over_ready_ms." + at, StoreBenchmark.percentile(sorted.get("sweep"), p)
                    - StoreBenchmark.percentile(sorted.get("ready"), p));
        }
        figures.put("empty_sweep.rounds", options.sweeps);
        figures.put("empty_sweep.warmup_rounds", options.sweepWarmup);
        figures.put("empty_sweep.not_empty", notEmpty);
        // alert-service's own timer, over every sweep of the period (the scheduled ones as well).
        double count = delta(after, before, "tlswatch_alert_sweep_duration_seconds_count");
        double sum = delta(after, before, "tlswatch_alert_sweep_duration_seconds_sum");
        figures.put("empty_sweep.timer.sweeps", (long) count);
        put("empty_sweep.timer.scheduled_per_s", (count - options.sweeps) / seconds);
        put("empty_sweep.timer.mean_ms", count == 0 ? Double.NaN : sum / count * 1000);
        // (Its max is left out: it is the largest of the last minutes, so the catch-up sweep's.)
        log(String.format("empty sweeps by alert-service's timer: %.0f sweeps, mean %.2f ms", count,
                sum / count * 1000));
    }

    /**
     * The event queries as PostgreSQL runs them once it has settled on a generic plan for a connection
     * (a prepared statement's sixth execution onwards, when the generic plan looks no dearer than the
     * custom ones so far), after a cursor with the latency part's reports behind it.
     */
    private void genericPlans(long cursor) throws Exception {
        StringBuilder out = new StringBuilder()
                .append("\n######## The same queries with plan_cache_mode = force_generic_plan, after cursor ")
                .append(cursor).append(" (just before the latency part's ").append(options.alerts)
                .append(" reports)\n\n");
        try (Connection c = connect("tlswatch")) {
            long upper = watermark() - 1;
            try (Statement s = c.createStatement()) {
                s.execute("set plan_cache_mode = force_generic_plan");
            }
            List<StorePlans.Query> queries = StorePlans.failureEvents(cursor, upper);
            Map<String, Double> times = StorePlans.explain(c, queries, Path.of("").toAbsolutePath(), out);
            times.forEach((name, ms) -> put("latency.generic_plan." + name + ".execution_ms", ms));
        }
        Files.writeString(options.results.resolve("alert-plans.txt"), out.toString(),
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The oldest transaction id still running, the bound of every page of failure events. */
    private long watermark() throws SQLException {
        try (Connection c = connect("tlswatch"); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                "select pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the event queries an empty sweep runs, at the cursor as it is now. */
    private void plans() throws Exception {
        long cursor = json.readTree(get(store.baseUrl() + "/internal/v1/cursors/" + CURSOR,
                StoreBenchmark.INTERNAL_TOKEN)).get("position").asLong();
        StringBuilder out = new StringBuilder()
                .append("# EXPLAIN (ANALYZE, BUFFERS) of report-store's event queries in a sweep with nothing new\n")
                .append("# run ").append(figures.get("run.date")).append(", commit ").append(figures.get("run.commit"))
                .append(", ").append(figures.get("volume.reports")).append(" reports, cursor ").append(cursor)
                .append(", ").append(figures.get("run.postgresql")).append('\n')
                .append("# Each statement: PREPAREd, EXECUTEd five times, then the sixth execution explained.\n\n");
        try (Connection c = connect("tlswatch")) {
            long upper;
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "select pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1")) {
                rows.next();
                upper = rows.getLong(1);
            }
            List<StorePlans.Query> queries = StorePlans.failureEvents(cursor, upper);
            Map<String, Double> times = StorePlans.explain(c, queries, Path.of("").toAbsolutePath(), out);
            times.forEach((name, ms) -> put("empty_sweep.plan." + name + ".execution_ms", ms));
            figures.put("empty_sweep.plan.copies_match_source",
                    StorePlans.copiesMatch(queries, Path.of("").toAbsolutePath()));
        }
        Files.writeString(options.results.resolve("alert-plans.txt"), out.toString());
        log("plans written to " + options.results.resolve("alert-plans.txt"));
    }

    // ---------------------------------------------------------------- alert latency

    private void latency() throws Exception {
        List<String> domains = new ArrayList<>();
        int perOrganisation = 10;
        for (int o = 0; o * perOrganisation < options.alerts; o++) {
            JsonNode organisation = adminPost("/api/v1/organisations",
                    Map.of("name", String.format("Alert bench %03d", o + 1)));
            long id = organisation.get("id").asLong();
            adminPost("/api/v1/organisations/" + id + "/alert-recipients",
                    Map.of("address", String.format("noc@alert-org-%03d.example", o + 1)));
            for (int d = o * perOrganisation; d < Math.min(options.alerts, (o + 1) * perOrganisation); d++) {
                String name = String.format("alert-%04d.example", d + 1);
                adminPost("/api/v1/organisations/" + id + "/domains", Map.of("name", name));
                domains.add(name);
            }
        }
        log("latency: registered " + domains.size() + " domains in " + (domains.size() + perOrganisation - 1)
                / perOrganisation + " organisations, one alert address each");
        URI uri = URI.create(store.baseUrl() + "/internal/v1/reports");
        Instant yesterday = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        HttpRequest[] requests = new HttpRequest[domains.size()];
        for (int i = 0; i < requests.length; i++) {
            byte[] body = StoreBenchmark.body(failingReport(domains.get(i), yesterday, i), Instant.now());
            requests[i] = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + StoreBenchmark.INTERNAL_TOKEN)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        }
        mails.expect(domains);
        Map<String, Double> before = metrics();
        Random random = new Random(8460);
        long[] committed = new long[requests.length];
        double[] storeMs = new double[requests.length];
        long next = System.nanoTime();
        long t0 = next;
        for (int i = 0; i < requests.length; i++) {
            // Poisson arrivals: exponential gaps, so reports land at random moments relative to the sweep.
            next += (long) (-Math.log(1 - random.nextDouble()) / options.rate * 1e9);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(requests[i], HttpResponse.BodyHandlers.ofString());
            committed[i] = System.nanoTime();
            storeMs[i] = (committed[i] - start) / 1e6;
            if (response.statusCode() != 201) {
                throw new IllegalStateException("storing the report for " + domains.get(i) + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        }
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        log(String.format("latency: %d failing reports stored in %.0f s (%.2f/s); waiting for the mails",
                requests.length, sendSeconds, requests.length / sendSeconds));
        long deadline = System.nanoTime() + Duration.ofSeconds(options.drainSeconds).toNanos();
        while (mails.missing().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // A few sweeps more: a second mail for any domain would show up now.
        Thread.sleep(Duration.ofSeconds(options.quietSeconds).toMillis());
        Map<String, Double> after = metrics();

        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < requests.length; i++) {
            List<Long> accepted = mails.acceptedFor(domains.get(i));
            if (!accepted.isEmpty()) {
                latencies.add((accepted.get(0) - committed[i]) / 1e6);
            }
        }
        double[] ms = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] stores = storeMs.clone();
        Arrays.sort(stores);
        figures.put("latency.alerts_expected", domains.size());
        figures.put("latency.mails_received", mails.total());
        figures.put("latency.missing", mails.missing().size());
        figures.put("latency.duplicates", mails.duplicates());
        figures.put("latency.unexpected", mails.unexpected());
        put("latency.rate_per_s", requests.length / sendSeconds);
        if (ms.length > 0) {
            put("latency.commit_to_accepted.p50_ms", StoreBenchmark.percentile(ms, 0.50));
            put("latency.commit_to_accepted.p95_ms", StoreBenchmark.percentile(ms, 0.95));
            put("latency.commit_to_accepted.p99_ms", StoreBenchmark.percentile(ms, 0.99));
            put("latency.commit_to_accepted.max_ms", ms[ms.length - 1]);
            put("latency.commit_to_accepted.min_ms", ms[0]);
            put("latency.commit_to_accepted.mean_ms", Arrays.stream(ms).average().orElse(Double.NaN));
        }
        put("latency.store_call.p50_ms", StoreBenchmark.percentile(stores, 0.50));
        put("latency.store_call.p99_ms", StoreBenchmark.percentile(stores, 0.99));
        double count = delta(after, before, "tlswatch_alert_sweep_duration_seconds_count");
        figures.put("latency.sweeps", (long) count);
        put("latency.sweep_mean_ms", count == 0 ? Double.NaN
                : delta(after, before, "tlswatch_alert_sweep_duration_seconds_sum") / count * 1000);
        figures.put("latency.sent_by_metric", (long) delta(after, before, "tlswatch_alert_sent_total"));
        figures.put("latency.failed_by_metric", (long) delta(after, before, "tlswatch_alert_failed_total"));
        if (ms.length > 0) {
            log(String.format("latency commit -> accepted: p50 %.0f ms  p95 %.0f ms  p99 %.0f ms  max %.0f ms; "
                            + "%d mails for %d alerts, %d missing, %d duplicates, %d unexpected",
                    StoreBenchmark.percentile(ms, 0.50), StoreBenchmark.percentile(ms, 0.95),
                    StoreBenchmark.percentile(ms, 0.99), ms[ms.length - 1], mails.total(), domains.size(),
                    mails.missing().size(), mails.duplicates(), mails.unexpected()));
        }
    }

    /**
     * A report as Google sends it for yesterday: one STS policy for {@code domain} whose MX certificate
     * has expired, 3 of 120 sessions failed.
     */
    private byte[] failingReport(String domain, Instant start, int sequence) throws IOException {
        String from = start.toString();
        String to = start.plus(1, ChronoUnit.DAYS).minusSeconds(1).toString();
        ObjectNode report = json.createObjectNode();
        report.put("organization-name", "Google Inc.");
        report.putObject("date-range").put("start-datetime", from).put("end-datetime", to);
        report.put("contact-info", "smtp-tls-reporting@google.com");
        report.put("report-id", from + "_" + domain + "#alert-bench-" + sequence);
        ObjectNode policy = report.putArray("policies").addObject();
        ObjectNode p = policy.putObject("policy");
        p.put("policy-type", "sts");
        p.putArray("policy-string").add("version: STSv1").add("mode: enforce").add("mx: mx1." + domain)
                .add("max_age: 604800");
        p.put("policy-domain", domain);
        p.putArray("mx-host").add("mx1." + domain);
        policy.putObject("summary").put("total-successful-session-count", 117).put("total-failure-session-count", 3);
        ArrayNode details = policy.putArray("failure-details");
        details.addObject().put("result-type", "certificate-expired").put("sending-mta-ip", "209.85.220.41")
                .put("receiving-mx-hostname", "mx1." + domain).put("receiving-ip", "203.0.113.25")
                .put("failed-session-count", 3).put("failure-reason-code", "X509_V_ERR_CERT_HAS_EXPIRED");
        return json.writeValueAsBytes(report);
    }

    /** The SMTP server's record: when each alert mail (by the domain in its subject) was accepted. */
    private static final class MailLog {
        private final Map<String, List<Long>> byDomain = new ConcurrentHashMap<>();
        private final List<String> other = new CopyOnWriteArrayList<>();
        private final AtomicLong total = new AtomicLong();
        private final Session session = Session.getInstance(new Properties());
        private volatile List<String> expected = List.of();

        void accepted(long at, byte[] data) {
            total.incrementAndGet();
            String subject;
            try {
                subject = new MimeMessage(session, new ByteArrayInputStream(data)).getSubject();
            } catch (MessagingException e) {
                subject = null;
            }
            if (subject == null || !subject.startsWith(SUBJECT)) {
                other.add(String.valueOf(subject));
                return;
            }
            byDomain.computeIfAbsent(subject.substring(SUBJECT.length()).strip(), d -> new CopyOnWriteArrayList<>())
                    .add(at);
        }

        /** From now on only mails for these domains are expected (the count starts again). */
        void expect(List<String> domains) {
            expected = List.copyOf(domains);
            total.set(0);
        }

        List<Long> acceptedFor(String domain) {
            return byDomain.getOrDefault(domain, List.of());
        }

        List<String> missing() {
            return expected.stream().filter(d -> acceptedFor(d).isEmpty()).toList();
        }

        long duplicates() {
            return expected.stream().mapToLong(d -> Math.max(0, acceptedFor(d).size() - 1)).sum();
        }

        /** Mails since {@link #expect} for no expected domain (a late second mail of the volume's domains). */
        long unexpected() {
            long known = expected.stream().mapToLong(d -> acceptedFor(d).size()).sum();
            return total.get() - known;
        }

        long total() {
            return total.get();
        }
    }

    // ---------------------------------------------------------------- output and helpers

    private void verdicts() {
        Object p99 = figures.get("latency.commit_to_accepted.p99_ms");
        figures.put("target.latency_p99_met", p99 instanceof Double v && v < 2000
                && figures.get("latency.missing").equals(0) && (long) figures.get("latency.duplicates") == 0);
        // The issue names no percentile: the sweep's own mean cost, and the round trip from here at p50 and p95.
        figures.put("target.empty_sweep_timer_mean_met", (double) figures.get("empty_sweep.timer.mean_ms") < 20);
        figures.put("target.empty_sweep_round_trip_p50_met",
                (double) figures.get("empty_sweep.round_trip.sweep.p50_ms") < 20);
        figures.put("target.empty_sweep_round_trip_p95_met",
                (double) figures.get("empty_sweep.round_trip.sweep.p95_ms") < 20);
    }

    private void write() throws IOException {
        System.out.println();
        figures.forEach((name, value) -> System.out.println(name + ": " + value));
        Path file = options.results.resolve("alert-latest.json");
        json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        System.out.println();
        log("figures written to " + file);
    }

    private void put(String name, double value) {
        figures.put(name, Math.round(value * 100) / 100.0);
    }

    /** With --pg-stat-statements: resets the statistics (null) or appends the top statements since. */
    private void statementStats(String heading) throws SQLException, IOException {
        if (!options.statementStats) {
            return;
        }
        if (heading != null) {
            Files.writeString(options.results.resolve("alert-statements.txt"), postgres.topStatements(heading, 15, 200),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        postgres.resetStatements();
    }

    /** alert-service's meters at /q/metrics (Prometheus text), summed over their labels. */
    private Map<String, Double> metrics() throws Exception {
        String text = get("http://127.0.0.1:" + alert.managementPort() + "/q/metrics", null);
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("tlswatch_alert_")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            values.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
        }
        return values;
    }

    private static double delta(Map<String, Double> after, Map<String, Double> before, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    private String get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** An admin API call to report-store that must answer 201 (set-up, not timed). */
    private JsonNode adminPost(String path, Object body) {
        return admin.json("POST", store.baseUrl() + path, StoreBenchmark.ADMIN_TOKEN, body, 201);
    }

    private static void log(String message) {
        RunFacts.log(message);
    }

    // ---------------------------------------------------------------- options

    static final class Options {
        Path storeJar = Path.of("report-store/target/quarkus-app/quarkus-run.jar");
        Path alertJar = Path.of("alert-service/target/quarkus-app/quarkus-run.jar");
        Path results = Path.of("bench/results");
        String interval = "1s";
        long volume = 1_000_000;
        int organisations = 100;
        int domains = 1_000;
        int days = 60;
        int chunk = 100_000;
        int catchUpMinutes = 10;
        int sweeps = 200;
        int sweepWarmup = 30;
        int sweepPauseMillis = 50;
        int alerts = 240;
        double rate = 3;
        int drainSeconds = 60;
        int quietSeconds = 5;
        String synchronousCommit = "on";
        String sharedBuffers = "512MB";
        List<String> storeJvmArgs = List.of();
        List<String> alertJvmArgs = List.of();
        boolean statementStats;

        private static final String HELP = """
                java -cp bench/target/benchmarks.jar io.tlswatch.bench.AlertBenchmark [options]
                Run from the repository root, after
                  ./mvnw -B -q -pl report-store,alert-service,bench -am package -DskipTests
                Options (defaults in brackets):
                  --store-jar PATH          report-store's packaged jar [report-store/target/quarkus-app/quarkus-run.jar]
                  --alert-jar PATH          alert-service's packaged jar [alert-service/target/quarkus-app/quarkus-run.jar]
                  --results DIR             where alert-latest.json, alert-plans.txt and the services' logs go [bench/results]
                  --interval D              alert-service's tlswatch.alert.sweep-interval [1s]
                  --volume N                reports stored by SQL before alert-service starts [1000000]
                  --organisations N         the volume's organisations [100]
                  --domains N               the volume's registered domains (no alert addresses) [1000]
                  --days N                  days the volume's reports are spread over [60]
                  --chunk N                 reports per volume-loading transaction [100000]
                  --catch-up-minutes N      how long alert-service may take to pass the volume's events [10]
                  --sweeps N                timed rounds of empty sweep / readiness / ping [200]
                  --sweep-warmup N          untimed rounds first [30]
                  --sweep-pause MS          pause between rounds [50]
                  --alerts N                new domains, one failing report and one expected mail each [240]
                  --rate R                  failing reports stored per second, Poisson arrivals [3]
                  --drain S                 how long to wait for the last mails [60]
                  --quiet S                 then how long to watch for a second mail of any domain [5]
                  --synchronous-commit V    PostgreSQL's synchronous_commit [on]
                  --shared-buffers V        PostgreSQL's shared_buffers [512MB]
                  --store-jvm-args "A B"    JVM options for report-store [none]
                  --alert-jvm-args "A B"    JVM options for alert-service [none]
                  --pg-stat-statements      diagnosis: load pg_stat_statements and write the top statements of the
                                            catch-up, the empty sweeps and the latency part to alert-statements.txt
                A quick run: --volume 100000 --sweeps 50 --alerts 60
                """;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.print(HELP);
                    return null;
                }
                if (arg.equals("--pg-stat-statements")) {
                    o.statementStats = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value\n" + HELP);
                }
                String value = args[++i];
                switch (arg) {
                    case "--store-jar" -> o.storeJar = Path.of(value);
                    case "--alert-jar" -> o.alertJar = Path.of(value);
                    case "--results" -> o.results = Path.of(value);
                    case "--interval" -> o.interval = value;
                    case "--volume" -> o.volume = Long.parseLong(value);
                    case "--organisations" -> o.organisations = Integer.parseInt(value);
                    case "--domains" -> o.domains = Integer.parseInt(value);
                    case "--days" -> o.days = Integer.parseInt(value);
                    case "--chunk" -> o.chunk = Integer.parseInt(value);
                    case "--catch-up-minutes" -> o.catchUpMinutes = Integer.parseInt(value);
                    case "--sweeps" -> o.sweeps = Integer.parseInt(value);
                    case "--sweep-warmup" -> o.sweepWarmup = Integer.parseInt(value);
                    case "--sweep-pause" -> o.sweepPauseMillis = Integer.parseInt(value);
                    case "--alerts" -> o.alerts = Integer.parseInt(value);
                    case "--rate" -> o.rate = Double.parseDouble(value);
                    case "--drain" -> o.drainSeconds = Integer.parseInt(value);
                    case "--quiet" -> o.quietSeconds = Integer.parseInt(value);
                    case "--synchronous-commit" -> o.synchronousCommit = value;
                    case "--shared-buffers" -> o.sharedBuffers = value;
                    case "--store-jvm-args" -> o.storeJvmArgs = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    case "--alert-jvm-args" -> o.alertJvmArgs = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + HELP);
                }
            }
            if (o.volume < 1 || o.sweeps < 1 || o.alerts < 1 || o.rate <= 0) {
                throw new IllegalArgumentException("--volume, --sweeps, --alerts and --rate must be positive");
            }
            return o;
        }

        String describe() {
            return String.format(Locale.ROOT, "interval=%s volume=%d organisations=%d domains=%d days=%d sweeps=%d "
                            + "sweep-warmup=%d sweep-pause=%dms alerts=%d rate=%.1f/s synchronous_commit=%s "
                            + "shared_buffers=%s store-jvm-args=%s alert-jvm-args=%s",
                    interval, volume, organisations, domains, days, sweeps, sweepWarmup, sweepPauseMillis, alerts, rate,
                    synchronousCommit, sharedBuffers, storeJvmArgs, alertJvmArgs)
                    + (statementStats ? " pg-stat-statements" : "");
        }
    }
}
