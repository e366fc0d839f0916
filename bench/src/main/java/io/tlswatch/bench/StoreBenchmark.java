package io.tlswatch.bench;

import static io.tlswatch.bench.RunFacts.loadAverage;
import static io.tlswatch.bench.RunFacts.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tlswatch.system.Http;
import io.tlswatch.system.ServiceProcess;
import io.tlswatch.system.TlsWatchSystem;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * report-store's storing throughput against a plain JDBC insert of the same rows, and its query
 * latencies with a million reports stored, in one run (docs/BENCHMARKS.md, section report-store).
 *
 * <ol>
 *   <li>Starts an embedded PostgreSQL (zonky) with two databases, and report-store's packaged jar as a
 *       child process on free ports against the first; waits for readiness.</li>
 *   <li>Throughput: registers organisations and domains through the admin API (the same ones by SQL in
 *       the second database, migrated by running report-store's Flyway files as plain SQL), then POSTs
 *       typical reports ({@link StoreReportGenerator}, all new) to {@code /internal/v1/reports} at
 *       {@code --concurrency}, counting the 201s, and inserts the same reports, parsed beforehand, over
 *       JDBC into the second database ({@link JdbcBaseline}) at the same concurrency. Each side first
 *       warms up on other reports ({@code --warmup} seconds: report-store's JIT needs most of a minute on
 *       two busy cores); then each side is measured for {@code --duration} seconds in total, in
 *       {@code --rounds} alternating slices in ABBA order (S B, B S, ...), each after a CHECKPOINT, so
 *       that a drift in the machine's load weighs on both alike. CPU time per report is read from
 *       {@code /proc} for each process ({@link CpuMeter}).</li>
 *   <li>Volume: empties report-store's report tables (the throughput part's reports all cover the last
 *       two days), fills them up to {@code --volume} reports with SQL ({@link VolumeLoader}), then
 *       VACUUM ANALYZE.</li>
 *   <li>Latency: stores {@code --fresh} more reports through the service, then after a warm-up times
 *       {@code --latency-requests} rounds of the domain list, a busy domain's 30-day breakdown and
 *       the failure events after a cursor a little below the xid of the 50th newest report.</li>
 *   <li>Plans: EXPLAIN (ANALYZE, BUFFERS) of the SQL behind those three ({@link StorePlans}).</li>
 *   <li>Writes {@code name: value} lines, {@code store-latest.json} and {@code store-plans.txt}, and
 *       stops report-store and PostgreSQL.</li>
 * </ol>
 *
 * {@code java -cp bench/target/benchmarks.jar io.tlswatch.bench.StoreBenchmark --help} lists the options.
 */
public final class StoreBenchmark {

    static final String ADMIN_TOKEN = "bench-admin-token";
    static final String INTERNAL_TOKEN = "bench-internal-token";
    private static final String[] WORDS = {"acme", "globex", "initech", "umbrella", "hooli", "vandelay",
            "soylent", "wonka", "tyrell", "cyberdyne", "aperture", "wayne", "stark", "oscorp", "gringotts",
            "monarch", "nakatomi", "pendant", "sirius", "virtucon"};

    private final Options options;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Http admin = new Http();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Runnable::run).build();
    private ServiceProcess service;
    private BenchPostgres postgres;
    private CpuMeter cpu;

    private StoreBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        new StoreBenchmark(options).run();
    }

    /** Registered domain names {@code from} (inclusive) to {@code to} (exclusive), the same on every run. */
    static List<String> domainNames(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < to; i++) {
            names.add(WORDS[i % WORDS.length] + "-" + (i / WORDS.length + 1) + ".example");
        }
        return names;
    }

    private void run() throws Exception {
        Files.createDirectories(options.results);
        meta();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        try {
            startPostgres();
            startService();
            Map<String, Long> baselineDomains = registerThroughputDomains();
            if (!options.skipThroughput) {
                throughput(baselineDomains);
            }
            volume();
            LatencyInputs inputs = latencyInputs();
            latency(inputs);
            plans(inputs);
            figures.put("run.load_average_end", loadAverage());
            verdicts();
            write();
        } finally {
            stop();
        }
    }

    // ---------------------------------------------------------------- set-up

    private void meta() {
        RunFacts.describe(figures, "report-store", "bench/src");
        figures.put("run.options", options.describe());
        figures.put("run.load_average_start", loadAverage());
    }

    private void startPostgres() throws Exception {
        postgres = BenchPostgres.start(options.sharedBuffers, options.synchronousCommit, options.statementStats,
                "tlswatch_service", "tlswatch_baseline");
        figures.put("run.postgresql", postgres.version());
    }

    private Connection connect(String database) throws SQLException {
        return postgres.connect(database);
    }

    private void startService() throws Exception {
        service = startReportStore(options.jar, options.serviceJvmArgs, postgres, "tlswatch_service",
                options.results.resolve("store-service.log"));
        cpu = new CpuMeter(service.pid(), postgres.postmasterPid());
    }

    /** report-store's jar on {@code database}, with the benchmarks' tokens; started and ready. */
    static ServiceProcess startReportStore(Path jar, List<String> jvmArgs, BenchPostgres postgres, String database,
            Path log) {
        Map<String, String> env = new HashMap<>(TlsWatchSystem.storeDatabaseEnv(postgres.port(), database));
        env.put("TLSWATCH_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("TLSWATCH_INTERNAL_TOKEN", INTERNAL_TOKEN);
        env.put("TLSWATCH_INGEST_PUBLIC_URL", "https://tlsrpt.bench.example");
        long t0 = System.nanoTime();
        ServiceProcess store = new ServiceProcess("report-store", jar, jvmArgs, env, log).start(Duration.ofMinutes(3));
        log(String.format("report-store (pid %d) ready on port %d in %.1f s; log in %s", store.pid(),
                store.httpPort(), (System.nanoTime() - t0) / 1e9, log));
        return store;
    }

    private void stop() {
        if (service != null) {
            service.close();
            service = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /**
     * Organisations and domains for the throughput part, through the admin API in report-store's
     * database and by SQL in the baseline's (after its migrations); returns the baseline's name -> id.
     */
    private Map<String, Long> registerThroughputDomains() throws Exception {
        List<String> names = domainNames(0, options.throughputDomains);
        int perOrganisation = 10;
        for (int o = 0; o * perOrganisation < names.size(); o++) {
            JsonNode organisation = adminPost("/api/v1/organisations",
                    Map.of("name", String.format("Organisation %03d", o + 1)));
            long id = organisation.get("id").asLong();
            for (String name : names.subList(o * perOrganisation, Math.min(names.size(), (o + 1) * perOrganisation))) {
                adminPost("/api/v1/organisations/" + id + "/domains", Map.of("name", name));
            }
        }
        Map<String, Long> baseline = new HashMap<>();
        try (Connection c = connect("tlswatch_baseline")) {
            List<String> applied = BenchPostgres.migrate(c, options.migrations);
            figures.put("throughput.baseline_migrations", String.join(" ", applied));
            try (PreparedStatement org = c.prepareStatement(
                    "insert into organisation (name, created_at) values (?, now()) returning id");
                    PreparedStatement dom = c.prepareStatement("insert into domain (organisation_id, name, "
                            + "tls_reporting_enabled, created_at) values (?, ?, true, now()) returning id")) {
                for (int o = 0; o * perOrganisation < names.size(); o++) {
                    org.setString(1, String.format("Organisation %03d", o + 1));
                    long id = single(org);
                    for (String name : names.subList(o * perOrganisation,
                            Math.min(names.size(), (o + 1) * perOrganisation))) {
                        dom.setLong(1, id);
                        dom.setString(2, name);
                        baseline.put(name, single(dom));
                    }
                }
            }
        }
        log("registered " + names.size() + " domains in " + (names.size() + perOrganisation - 1) / perOrganisation
                + " organisations (service: admin API; baseline: SQL)");
        return baseline;
    }

    /** report-store's Flyway migrations run as plain SQL, in version order; returns their file names. */
    // ---------------------------------------------------------------- throughput

    private void throughput(Map<String, Long> baselineDomains) throws Exception {
        List<String> names = domainNames(0, options.throughputDomains);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        StoreReportGenerator generator = new StoreReportGenerator(ReportGenerator.SEED, names, today);
        long t0 = System.nanoTime();
        byte[][] reports = new byte[options.pool][];
        long bytes = 0;
        for (int i = 0; i < reports.length; i++) {
            reports[i] = generator.next(i);
            bytes += reports[i].length;
        }
        figures.put("throughput.report_mean_bytes", bytes / reports.length);
        log(String.format("generated %,d reports (mean %d bytes) in %.1f s", reports.length, bytes / reports.length,
                (System.nanoTime() - t0) / 1e9));
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Warm-up reports: other ones (another seed, sequence numbers far above the pool's), made as needed.
        StoreReportGenerator warmGenerator = new StoreReportGenerator(ReportGenerator.SEED + 2, names, today);
        AtomicLong warmSequence = new AtomicLong(1_000_000_000L);
        Supplier<byte[]> warmReport = () -> {
            synchronized (warmGenerator) {
                return warmGenerator.next(warmSequence.getAndIncrement());
            }
        };

        // report-store: the requests (what report-ingest sends, the payload in base64) are built before the
        // timing, as the baseline's reports are parsed before it, so the timed loops only send and insert.
        URI uri = URI.create(service.baseUrl() + "/internal/v1/reports");
        HttpRequest[] requests = new HttpRequest[reports.length];
        for (int i = 0; i < reports.length; i++) {
            requests[i] = storeRequest(uri, body(reports[i], receivedAt));
        }
        AtomicReference<String> firstError = new AtomicReference<>();
        Worker post = (thread, index) -> {
            HttpRequest request = index >= 0 ? requests[(int) index]
                    : storeRequest(uri, body(warmReport.get(), receivedAt));
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 201) {
                firstError.compareAndSet(null, response.statusCode() + " "
                        + new String(response.body(), StandardCharsets.UTF_8));
                return false;
            }
            return true;
        };
        // Baseline: parsed before the timing; one connection per thread, as the service's pool has.
        TlsRptParser parser = TlsRptParser.withDefaults();
        TlsReport[] parsed = new TlsReport[reports.length];
        for (int i = 0; i < reports.length; i++) {
            parsed[i] = parser.parse(reports[i]);
        }
        JdbcBaseline[] baselines = new JdbcBaseline[options.concurrency];
        for (int i = 0; i < baselines.length; i++) {
            baselines[i] = new JdbcBaseline(connect("tlswatch_baseline"), baselineDomains);
        }
        Worker insert = (thread, index) -> {
            if (index >= 0) {
                return baselines[thread].store(parsed[(int) index], reports[(int) index], receivedAt);
            }
            byte[] warm = warmReport.get();
            return baselines[thread].store(parser.parse(warm), warm, receivedAt);
        };

        Side service = new Side("report-store", "tlswatch_service", post, reports.length);
        Side baseline = new Side("JDBC baseline", "tlswatch_baseline", insert, reports.length);
        warmUp(service);
        warmUp(baseline);
        // Alternating slices in ABBA order (S B, B S, S B, ...): a drift in the machine's load over the
        // run weighs on both sides alike, which one long period per side does not ensure.
        double seconds = options.durationSeconds / (double) options.rounds;
        List<Double> roundRatios = new ArrayList<>();
        for (int round = 0; round < options.rounds; round++) {
            Side first = round % 2 == 0 ? service : baseline;
            Side second = round % 2 == 0 ? baseline : service;
            Measured a = slice(first, seconds);
            Measured b = slice(second, seconds);
            Measured s = first == service ? a : b;
            Measured x = first == service ? b : a;
            roundRatios.add(s.perSecond() / x.perSecond());
            log(String.format("round %d of %d: report-store %.0f/s, baseline %.0f/s, ratio %.2f", round + 1,
                    options.rounds, s.perSecond(), x.perSecond(), s.perSecond() / x.perSecond()));
        }
        if (firstError.get() != null) {
            log("report-store: first error: " + firstError.get());
        }
        for (JdbcBaseline b : baselines) {
            b.close();
        }
        Measured st = service.total();
        Measured bt = baseline.total();
        double ratio = st.perSecond() / bt.perSecond();
        put("throughput.service.reports_per_s", st.perSecond());
        put("throughput.baseline.reports_per_s", bt.perSecond());
        put("throughput.ratio", ratio);
        figures.put("throughput.target_ratio", 0.6);
        figures.put("throughput.rounds", options.rounds);
        figures.put("throughput.round_ratios", roundRatios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r))
                .collect(java.util.stream.Collectors.joining(" ")));
        figures.put("throughput.service.stored", st.ok);
        figures.put("throughput.service.errors", st.failed);
        put("throughput.service.seconds", st.seconds);
        put("throughput.service.warmup_reports_per_s", service.warmup);
        figures.put("throughput.baseline.stored", bt.ok);
        figures.put("throughput.baseline.errors", bt.failed);
        put("throughput.baseline.seconds", bt.seconds);
        put("throughput.baseline.warmup_reports_per_s", baseline.warmup);
        st.cpuPerReport().forEach((part, ms) -> put("throughput.service.cpu_ms_per_report." + part, ms));
        bt.cpuPerReport().forEach((part, ms) -> put("throughput.baseline.cpu_ms_per_report." + part, ms));
        put("throughput.cpu_ratio", bt.cpuPerReport().get("total") / st.cpuPerReport().get("total"));
        // Informative: the HTTP client is the load generator, not report-store's work (the baseline's JDBC is its own).
        put("throughput.cpu_ratio_without_http_client", bt.cpuPerReport().get("total")
                / (st.cpuPerReport().get("service") + st.cpuPerReport().get("postgresql")));
        figures.put("throughput.pool_exhausted", st.exhausted || bt.exhausted);
        figures.put("run.load_average_after_throughput", loadAverage());
        log(String.format("throughput: report-store %.0f/s, baseline %.0f/s, ratio %.2f (target >= 0.6); "
                        + "CPU ms per report: report-store %s, baseline %s", st.perSecond(), bt.perSecond(), ratio,
                rounded(st.cpuPerReport()), rounded(bt.cpuPerReport())));
    }

    /** One side of the throughput comparison: where its next measured report comes from, and its slices. */
    private static final class Side {
        final String name;
        final String database;
        final Worker worker;
        final int available;
        final AtomicLong next = new AtomicLong();
        final List<Measured> slices = new ArrayList<>();
        double warmup;

        Side(String name, String database, Worker worker, int available) {
            this.name = name;
            this.database = database;
            this.worker = worker;
            this.available = available;
        }

        /** All slices together: reports, errors, seconds and CPU summed. */
        Measured total() {
            long ok = 0;
            long failed = 0;
            double seconds = 0;
            boolean exhausted = false;
            Map<String, Double> cpu = new LinkedHashMap<>();
            for (Measured m : slices) {
                ok += m.ok;
                failed += m.failed;
                seconds += m.seconds;
                exhausted |= m.exhausted;
                m.cpu.forEach((part, value) -> cpu.merge(part, value, Double::sum));
            }
            return new Measured(ok, failed, seconds, exhausted, cpu, warmup);
        }
    }

    private static HttpRequest storeRequest(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + INTERNAL_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** What report-ingest sends: {@code ReportSubmission} as JSON, the payload in base64. */
    static byte[] body(byte[] report, Instant receivedAt) {
        return ("{\"channel\":\"https\",\"received-at\":\"" + receivedAt + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(report) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Worker {
        /**
         * Stores report {@code index} of the pool, or a fresh warm-up report when {@code index} is negative,
         * from thread {@code thread}; true when it was stored as new.
         */
        boolean store(int thread, long index) throws Exception;
    }

    private record Measured(long ok, long failed, double seconds, boolean exhausted, Map<String, Double> cpu,
            double warmup) {
        double perSecond() {
            return ok / seconds;
        }

        /** CPU milliseconds per stored report, by process, and their total. */
        Map<String, Double> cpuPerReport() {
            Map<String, Double> per = new LinkedHashMap<>();
            double total = 0;
            for (Map.Entry<String, Double> part : cpu.entrySet()) {
                per.put(part.getKey(), part.getValue() * 1000 / ok);
                total += part.getValue();
            }
            per.put("total", total * 1000 / ok);
            return per;
        }
    }

    /** Warm-up on fresh reports (not the pool's), at the configured concurrency. */
    private void warmUp(Side side) throws Exception {
        AtomicLong warmIndex = new AtomicLong();
        Measured warm = drive(side.name + " warm-up", side.worker, () -> -warmIndex.incrementAndGet(),
                options.warmupSeconds);
        side.warmup = warm.perSecond();
        log(String.format("%s: warm-up %d s, %,d stored (%.0f/s)", side.name, options.warmupSeconds, warm.ok,
                warm.perSecond()));
    }

    /**
     * A CHECKPOINT (so neither side pays for the other's dirty pages), then one measured slice over the
     * pool's next reports, with the CPU time each process used.
     */
    private Measured slice(Side side, double seconds) throws Exception {
        checkpoint(side.database);
        statementStats(null);
        WaitSampler waits = options.statementStats ? new WaitSampler(side.database) : null;
        Map<String, Double> before = cpu.read();
        Measured run = drive(side.name, side.worker, () -> {
            long index = side.next.getAndIncrement();
            return index < side.available ? index : Long.MAX_VALUE;
        }, seconds);
        Measured measured = new Measured(run.ok, run.failed, run.seconds, run.exhausted,
                CpuMeter.minus(cpu.read(), before), 0);
        if (waits != null) {
            Files.writeString(options.results.resolve("store-statements.txt"), waits.stop(side.name),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        statementStats(side.name + " (" + side.database + "), " + run.ok + " reports stored");
        side.slices.add(measured);
        log(String.format("%s: %,d stored, %d errors in %.2f s = %.0f reports/s%s; CPU ms per report %s", side.name,
                measured.ok, measured.failed, measured.seconds, measured.perSecond(),
                measured.exhausted ? " (REPORT POOL EXHAUSTED: raise --pool)" : "", rounded(measured.cpuPerReport())));
        return measured;
    }

    /**
     * Runs {@code worker} on the configured number of threads for {@code seconds}, each taking the next
     * index from {@code indexes} until the time is up ({@code Long.MAX_VALUE}: nothing left). Logs the
     * rate every 10 seconds.
     */
    private Measured drive(String what, Worker worker, LongSupplier indexes, double seconds)
            throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        AtomicBoolean exhausted = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[options.concurrency];
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                try {
                    go.await();
                    while (System.nanoTime() < deadline) {
                        long index = indexes.getAsLong();
                        if (index == Long.MAX_VALUE) {
                            exhausted.set(true);
                            return;
                        }
                        try {
                            if (worker.store(thread, index)) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            crash.compareAndSet(null, e);
                            failed.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "store-" + t);
            threads[t].start();
        }
        go.countDown();
        long lastOk = 0;
        long lastAt = start;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(200);
                long now = System.nanoTime();
                if (now - lastAt >= 10_000_000_000L && thread.isAlive()) {
                    long done = ok.get();
                    log(String.format("  %s: %.0f reports/s over the last %.0f s", what,
                            (done - lastOk) / ((now - lastAt) / 1e9), (now - lastAt) / 1e9));
                    lastOk = done;
                    lastAt = now;
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (crash.get() != null) {
            log("first failure: " + crash.get());
        }
        return new Measured(ok.get(), failed.get(), elapsed, exhausted.get(), Map.of(), 0);
    }

    /** With --pg-stat-statements: resets the statistics (null) or appends the top statements since. */
    private void statementStats(String heading) throws SQLException, IOException {
        if (!options.statementStats) {
            return;
        }
        if (heading == null) {
            postgres.resetStatements();
            return;
        }
        Files.writeString(options.results.resolve("store-statements.txt"), postgres.topStatements(heading, 12, 160),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * With --pg-stat-statements: what the database's active sessions are waiting for, sampled every 20 ms
     * while a side is measured (no wait: running on CPU or queued for it).
     */
    private final class WaitSampler {
        private final Map<String, Long> counts = new java.util.TreeMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private long samples;

        WaitSampler(String database) {
            thread = new Thread(() -> {
                try (Connection c = connect("postgres"); PreparedStatement query = c.prepareStatement("""
                        select coalesce(wait_event_type || ':' || wait_event, 'none (CPU)'), count(*)
                        from pg_stat_activity where datname = ? and state = 'active' and pid <> pg_backend_pid()
                        group by 1""")) {
                    query.setString(1, database);
                    while (running) {
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                counts.merge(rows.getString(1), rows.getLong(2), Long::sum);
                            }
                        }
                        samples++;
                        Thread.sleep(20);
                    }
                } catch (SQLException | InterruptedException e) {
                    counts.put("sampling failed: " + e.getMessage(), 0L);
                }
            }, "wait-sampler");
            thread.start();
        }

        String stop(String what) throws InterruptedException {
            running = false;
            thread.join();
            StringBuilder out = new StringBuilder("=== wait events of active sessions, ").append(what).append(", ")
                    .append(samples).append(" samples (mean active sessions per sample)\n");
            counts.forEach((event, n) -> out.append(String.format("%6.2f  %s%n", n / (double) Math.max(1, samples),
                    event)));
            return out.append('\n').toString();
        }
    }

    private void checkpoint(String database) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    // ---------------------------------------------------------------- volume

    private void volume() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = connect("tlswatch_service")) {
            // The throughput part's reports all cover the last two days; the volume is spread over 60.
            try (Statement s = c.createStatement()) {
                s.execute("truncate table failure_detail, report_policy, report");
            }
            VolumeLoader loader = new VolumeLoader(c, RunFacts::log);
            loader.topUpDomains(options.organisations, options.domains);
            long added = loader.load(options.volume, options.days, options.chunk, 0.846);
            double load = (System.nanoTime() - t0) / 1e9;
            long v0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("vacuum analyze");
            }
            log(String.format("volume: %,d reports added in %.0f s, VACUUM ANALYZE %.0f s", added, load,
                    (System.nanoTime() - v0) / 1e9));
            put("volume.load_seconds", load);
            put("volume.vacuum_analyze_seconds", (System.nanoTime() - v0) / 1e9);
            figures.put("volume.reports_added_by_sql", added);
        }
    }

    // ---------------------------------------------------------------- latency

    private record LatencyInputs(String busyDomain, long busyDomainId, long cursor) {
    }

    private LatencyInputs latencyInputs() throws Exception {
        // Reports arriving now: stored through the service at the configured concurrency.
        List<String> names = domainNames(0, options.throughputDomains);
        StoreReportGenerator fresh = new StoreReportGenerator(ReportGenerator.SEED + 1, names,
                Instant.now().truncatedTo(ChronoUnit.DAYS));
        byte[][] bodies = new byte[options.fresh][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = body(fresh.next(50_000_000L + i), Instant.now());
        }
        URI uri = URI.create(service.baseUrl() + "/internal/v1/reports");
        Worker post = (thread, index) -> http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + INTERNAL_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[(int) index])).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
        AtomicLong next = new AtomicLong();
        Measured stored = drive("fresh reports", post, () -> {
            long index = next.getAndIncrement();
            return index < bodies.length ? index : Long.MAX_VALUE;
        }, 600);
        log("latency: " + stored.ok + " fresh reports stored through report-store");

        try (Connection c = connect("tlswatch_service"); Statement s = c.createStatement()) {
            String busy;
            long busyId;
            try (ResultSet rows = s.executeQuery("""
                    select d.name, d.id, count(*) from report_policy p join domain d on d.id = p.domain_id
                    where p.start_time >= now() - interval '30 days' group by d.id order by 3 desc limit 1""")) {
                rows.next();
                busy = rows.getString(1);
                busyId = rows.getLong(2);
                figures.put("latency.busy_domain", busy);
                figures.put("latency.busy_domain_policies_30d", rows.getLong(3));
            }
            long cursor;
            try (ResultSet rows = s.executeQuery("""
                    select min(created_xid::text::bigint) - 1 from (select created_xid from report order by id desc limit 50) newest""")) {
                rows.next();
                cursor = rows.getLong(1);
            }
            figures.put("latency.events_cursor", cursor);
            try (ResultSet rows = s.executeQuery("""
                    select (select count(*) from report), (select count(*) from report_policy),
                        (select count(*) from failure_detail), (select count(*) from domain),
                        (select count(*) from organisation), (select count(*) from report where failed_sessions > 0),
                        pg_database_size(current_database())""")) {
                rows.next();
                figures.put("volume.reports", rows.getLong(1));
                figures.put("volume.policies", rows.getLong(2));
                figures.put("volume.failure_details", rows.getLong(3));
                figures.put("volume.domains", rows.getLong(4));
                figures.put("volume.organisations", rows.getLong(5));
                figures.put("volume.reports_with_failures", rows.getLong(6));
                figures.put("volume.database_mib", rows.getLong(7) / (1024 * 1024));
            }
            return new LatencyInputs(busy, busyId, cursor);
        }
    }

    private void latency(LatencyInputs inputs) throws Exception {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("list", "/api/v1/domains");
        endpoints.put("detail", "/api/v1/domains/" + inputs.busyDomain + "?days=30");
        endpoints.put("events", "/internal/v1/failure-events?after=" + inputs.cursor + "&limit=100");
        Map<String, double[]> samples = new LinkedHashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        endpoints.keySet().forEach(name -> samples.put(name, new double[options.latencyRequests]));
        for (int round = -options.latencyWarmup; round < options.latencyRequests; round++) {
            for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
                String token = endpoint.getKey().equals("events") ? INTERNAL_TOKEN : ADMIN_TOKEN;
                HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + endpoint.getValue()))
                        .header("Authorization", "Bearer " + token).GET().build();
                long t0 = System.nanoTime();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long elapsed = System.nanoTime() - t0;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(endpoint.getValue() + " answered " + response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
                if (round >= 0) {
                    samples.get(endpoint.getKey())[round] = elapsed / 1e6;
                } else if (round == -1) {
                    sizes.put(endpoint.getKey(), response.body().length);
                    describe(endpoint.getKey(), response.body());
                }
            }
        }
        for (Map.Entry<String, double[]> entry : samples.entrySet()) {
            double[] ms = entry.getValue().clone();
            Arrays.sort(ms);
            String prefix = "latency." + entry.getKey();
            put(prefix + ".p50_ms", percentile(ms, 0.50));
            put(prefix + ".p95_ms", percentile(ms, 0.95));
            put(prefix + ".p99_ms", percentile(ms, 0.99));
            put(prefix + ".max_ms", ms[ms.length - 1]);
            figures.put(prefix + ".response_bytes", sizes.get(entry.getKey()));
            log(String.format("latency %-6s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms", entry.getKey(),
                    percentile(ms, 0.50), percentile(ms, 0.95), percentile(ms, 0.99), ms[ms.length - 1]));
        }
        figures.put("latency.requests_each", options.latencyRequests);
        figures.put("latency.warmup_each", options.latencyWarmup);
    }

    /** What the answers held, so the figures can be read against the work done. */
    private void describe(String endpoint, byte[] body) throws IOException {
        JsonNode node = json.readTree(body);
        switch (endpoint) {
            case "list" -> {
                figures.put("latency.list.items", node.get("items").size());
                figures.put("latency.list.unclaimed", node.get("unclaimed").size());
            }
            case "detail" -> figures.put("latency.detail.days", node.get("sessions-by-day").size());
            case "events" -> figures.put("latency.events.events", node.get("events").size());
            default -> {
            }
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // ---------------------------------------------------------------- plans

    private void plans(LatencyInputs inputs) throws Exception {
        Instant now = Instant.now();
        String sevenDaysAgo = now.minus(Duration.ofDays(7)).atOffset(ZoneOffset.UTC).toString();
        String thirtyDaysAgo = now.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC).toString();
        String tomorrow = now.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC).toString();
        long upper;
        try (Connection c = connect("tlswatch_service"); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1")) {
            rows.next();
            upper = rows.getLong(1);
        }
        StringBuilder out = new StringBuilder();
        out.append("# EXPLAIN (ANALYZE, BUFFERS) of report-store's SQL behind the endpoints StoreBenchmark times\n")
                .append("# run ").append(figures.get("run.date")).append(", commit ").append(figures.get("run.commit"))
                .append(", ").append(figures.get("volume.reports")).append(" reports, ")
                .append(figures.get("run.postgresql")).append('\n')
                .append("# Each statement: PREPAREd, EXECUTEd five times, then the sixth execution explained,\n")
                .append("# as on a report-store connection that has run it before (prepared statements are cached).\n\n");
        List<StorePlans.Query> all = new ArrayList<>();
        Path sources = Path.of("").toAbsolutePath(); // the repository root, where the benchmark runs
        try (Connection c = connect("tlswatch_service")) {
            Map<String, Double> times = new LinkedHashMap<>();
            out.append("######## GET /api/v1/domains\n\n");
            List<StorePlans.Query> list = StorePlans.domainList(sevenDaysAgo, thirtyDaysAgo);
            times.putAll(StorePlans.explain(c, list, sources, out));
            out.append("######## GET /api/v1/domains/").append(inputs.busyDomain).append("?days=30\n\n");
            List<StorePlans.Query> detail = StorePlans.domainDetail(sevenDaysAgo, thirtyDaysAgo, inputs.busyDomain,
                    inputs.busyDomainId, thirtyDaysAgo, tomorrow);
            times.putAll(StorePlans.explain(c, detail, sources, out));
            out.append("######## GET /internal/v1/failure-events?after=").append(inputs.cursor).append("&limit=100\n\n");
            List<StorePlans.Query> events = StorePlans.failureEvents(inputs.cursor, upper);
            times.putAll(StorePlans.explain(c, events, sources, out));
            times.forEach((name, ms) -> put("plan." + name + ".execution_ms", ms));
            all.addAll(list);
            all.addAll(detail);
            all.addAll(events);
        }
        figures.put("plan.copies_match_source", StorePlans.copiesMatch(all, sources));
        Files.writeString(options.results.resolve("store-plans.txt"), out.toString());
        log("plans written to " + options.results.resolve("store-plans.txt"));
    }

    // ---------------------------------------------------------------- output

    private void verdicts() {
        if (figures.containsKey("throughput.ratio")) {
            figures.put("target.throughput_ratio_met", (double) figures.get("throughput.ratio") >= 0.6);
        }
        figures.put("target.list_p95_met", (double) figures.get("latency.list.p95_ms") < 100);
        figures.put("target.detail_p95_met", (double) figures.get("latency.detail.p95_ms") < 100);
        figures.put("target.events_p95_met", (double) figures.get("latency.events.p95_ms") < 20);
    }

    private void write() throws IOException {
        System.out.println();
        figures.forEach((name, value) -> System.out.println(name + ": " + value));
        Path file = options.results.resolve("store-latest.json");
        json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        System.out.println();
        log("figures written to " + file);
    }

    private void put(String name, double value) {
        figures.put(name, Math.round(value * 100) / 100.0);
    }

    private static Map<String, Double> rounded(Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Math.round(v * 1000) / 1000.0));
        return out;
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** An admin API call to report-store that must answer 201 (set-up, not timed). */
    private JsonNode adminPost(String path, Object body) {
        return admin.json("POST", service.baseUrl() + path, ADMIN_TOKEN, body, 201);
    }

    // ---------------------------------------------------------------- options

    static final class Options {
        Path jar = Path.of("report-store/target/quarkus-app/quarkus-run.jar");
        Path migrations = Path.of("report-store/src/main/resources/db/migration");
        Path results = Path.of("bench/results");
        int durationSeconds = 30;
        int warmupSeconds = 60;
        int concurrency = 8;
        int rounds = 3;
        int throughputDomains = 300;
        int pool = 250_000;
        long volume = 1_000_000;
        int organisations = 100;
        int domains = 1_000;
        int days = 60;
        int chunk = 100_000;
        int fresh = 100;
        int latencyRequests = 200;
        int latencyWarmup = 20;
        String synchronousCommit = "off";
        String sharedBuffers = "512MB";
        List<String> serviceJvmArgs = List.of();
        boolean skipThroughput;
        boolean statementStats;

        private static final String HELP = """
                java -cp bench/target/benchmarks.jar io.tlswatch.bench.StoreBenchmark [options]
                Run from the repository root. Options (defaults in brackets):
                  --jar PATH                report-store's packaged jar [report-store/target/quarkus-app/quarkus-run.jar]
                  --migrations DIR          Flyway files for the baseline database [report-store/src/main/resources/db/migration]
                  --results DIR             where store-latest.json, store-plans.txt, store-service.log go [bench/results]
                  --duration S              measured seconds of each throughput side [30]
                  --warmup S                warm-up seconds before each side, on other reports [60]
                  --concurrency C           concurrent clients / connections [8]
                  --rounds R                the measured seconds of each side in R alternating slices, ABBA [3]
                  --throughput-domains N    domains registered for the throughput part, 10 per organisation [300]
                  --pool N                  reports generated for the measured throughput part [250000]
                  --volume N                reports in report-store's database for the latency part [1000000]
                  --organisations N         organisations in total [100]
                  --domains N               registered domains in total [1000]
                  --days N                  days the volume's reports are spread over [60]
                  --chunk N                 reports per volume-loading transaction [100000]
                  --fresh N                 reports stored through the service just before the latency part [100]
                  --latency-requests N      timed requests per endpoint [200]
                  --latency-warmup N        untimed requests per endpoint first [20]
                  --synchronous-commit V    PostgreSQL's synchronous_commit for both sides [off]
                  --shared-buffers V        PostgreSQL's shared_buffers [512MB]
                  --service-jvm-args "A B"  JVM options for report-store [none]
                  --skip-throughput         volume, latency and plans only
                  --pg-stat-statements      diagnosis: load pg_stat_statements (with track_planning) and write each
                                            throughput side's top statements and the wait events of its
                                            sessions (sampled every 20 ms) to store-statements.txt
                A quick run: --volume 100000 --duration 10 --warmup 20 --pool 60000
                """;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.print(HELP);
                    return null;
                }
                if (arg.equals("--skip-throughput")) {
                    o.skipThroughput = true;
                    continue;
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
                    case "--jar" -> o.jar = Path.of(value);
                    case "--migrations" -> o.migrations = Path.of(value);
                    case "--results" -> o.results = Path.of(value);
                    case "--duration" -> o.durationSeconds = Integer.parseInt(value);
                    case "--warmup" -> o.warmupSeconds = Integer.parseInt(value);
                    case "--concurrency" -> o.concurrency = Integer.parseInt(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--throughput-domains" -> o.throughputDomains = Integer.parseInt(value);
                    case "--pool" -> o.pool = Integer.parseInt(value);
                    case "--volume" -> o.volume = Long.parseLong(value);
                    case "--organisations" -> o.organisations = Integer.parseInt(value);
                    case "--domains" -> o.domains = Integer.parseInt(value);
                    case "--days" -> o.days = Integer.parseInt(value);
                    case "--chunk" -> o.chunk = Integer.parseInt(value);
                    case "--fresh" -> o.fresh = Integer.parseInt(value);
                    case "--latency-requests" -> o.latencyRequests = Integer.parseInt(value);
                    case "--latency-warmup" -> o.latencyWarmup = Integer.parseInt(value);
                    case "--synchronous-commit" -> o.synchronousCommit = value;
                    case "--shared-buffers" -> o.sharedBuffers = value;
                    case "--service-jvm-args" -> o.serviceJvmArgs = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + HELP);
                }
            }
            if (o.throughputDomains > o.domains || o.throughputDomains < 10) {
                throw new IllegalArgumentException("--throughput-domains must be between 10 and --domains");
            }
            return o;
        }

        String describe() {
            return String.format(Locale.ROOT, "duration=%ds rounds=%d warmup=%ds concurrency=%d throughput-domains=%d pool=%d "
                            + "volume=%d organisations=%d domains=%d days=%d fresh=%d latency-requests=%d "
                            + "latency-warmup=%d synchronous_commit=%s shared_buffers=%s service-jvm-args=%s%s",
                    durationSeconds, rounds, warmupSeconds, concurrency, throughputDomains, pool, volume, organisations,
                    domains, days, fresh, latencyRequests, latencyWarmup, synchronousCommit, sharedBuffers,
                    serviceJvmArgs, (skipThroughput ? " skip-throughput" : "")
                            + (statementStats ? " pg-stat-statements" : ""));
        }
    }
}
