package io.tlswatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.icegreen.greenmail.store.StoredMessage;
import io.tlswatch.system.Http;
import io.tlswatch.system.ProcMemory;
import io.tlswatch.system.ServiceProcess;
import io.tlswatch.system.TlsWatchSystem;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole system as packaged (three JVMs from {@code quarkus-run.jar}, a fresh embedded PostgreSQL, a
 * real SMTP server), measured in one run on this machine (issue 6):
 * <ol>
 *   <li>startup time and idle RSS of each service, started as run-local.sh starts them (its {@code run-local/jvm.options}),
 *       report-store's first start migrating the empty database; then each service restarted four times;</li>
 *   <li>end-to-end ingest: generated reports ({@link StoreReportGenerator}: shapes from the samples, unique
 *       report-ids, 90% all-success) posted to {@code /v1/tlsrpt} as {@code application/tlsrpt+json} by wrk
 *       ({@link WrkLoad}, a native process, so the load generator's CPU does not weigh on the services as a
 *       JVM client's would) on 32 connections, against the same reports' rows inserted over JDBC
 *       ({@link JdbcBaseline}, one transaction per report, 32 connections) into a second database of the
 *       same PostgreSQL: alternating slices (ABBA) of whole seconds, so a change in the machine's load weighs
 *       on both. Throughput counts 2xx answers; latency is wrk's p50/p99 of each slice (the median slice's
 *       is reported, and the worst p99); CPU per report is read from {@code /proc} for every process, wrk's
 *       own as {@code load-generator}.</li>
 * </ol>
 *
 * <p>Every request is a report never posted before (a repeat is a cheap duplicate to report-store and
 * would inflate the rate): wrk goes once through a pool file (its lua script takes each record at most
 * once, each run starting after the last record the run before took); the warm-up posts reports of
 * another seed from a pool of its own, made before each warm-up run: twice what the run before would
 * take at its rate; the measured pool is generated and parsed before the timing and grown after the
 * warm-up to half as many again as the faster side's warm-up rate could take. If a wrk thread still
 * reaches the pool's end it stops, and {@code e2e_pool_exhausted} says so (the rate is then too low).
 *
 * <p>Zero loss: wrk gives counts, not which report each answer was for. But report-ingest's 2xx answer
 * names the stored row ({@code {"id": ..., "duplicate": false}}), and the lua script writes out those ids:
 * every row a 2xx named must be in the database and hold a report of the measured pool
 * ({@code e2e_lost} counts those that do not). Reports taken from the pool but not answered 2xx (refused,
 * or cut off in flight when a slice ended, at most one per connection and slice) may be stored all the
 * same; they are counted ({@code e2e_refused}, {@code e2e_unanswered}), not lost, and bound the stored
 * reports that lack a 2xx ({@code e2e_stored_without_2xx}, {@code e2e_stored_within_answers}). Since a
 * refused answer cannot be tied to its report, {@code e2e_stored_after_503} is an upper bound (exact, 0,
 * when nothing was refused).
 *
 * <ol start="3">
 *   <li>alert latency: a failing report for a fresh domain every second or so, from its POST to the SMTP
 *       server's acceptance of the alert, with a 1 s sweep interval;</li>
 *   <li>a report with 100,000 failure details (gzip) through ingest and store, then its domain's breakdown
 *       query, every service restarted with {@code -Xmx256m}: time, peak RSS, no OutOfMemoryError.</li>
 * </ol>
 * Prints {@code name: value} lines and writes them to {@code bench/results/latest.json}.
 *
 * <p>Needs wrk ({@code apt-get install -y wrk}). {@code java -Xmx3g -cp bench/target/benchmarks.jar
 * io.tlswatch.bench.SystemBenchmark [--duration 60] [--warmup 40] [--rounds 4] [--concurrency 32]
 * [--wrk-threads 1] [--domains 300] [--pool 300000] [--alerts 40] [--shared-buffers 512MB]
 * [--out bench/results/latest.json]}: about 9 minutes with {@code --warmup 180 --rounds 6}. Services' logs and wrk's output go to
 * {@code bench/target/system-benchmark/}.
 */
public final class SystemBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> SERVICES = List.of("report-store", "report-ingest", "alert-service");
    /** Restarts of each service after the first start, for the spread of its start-up time. */
    private static final int RESTARTS = 4;
    /** What report-ingest is sent: uncompressed JSON, as most senders post it. */
    private static final String CONTENT_TYPE = "application/tlsrpt+json";

    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Options options;
    private final Path logRoot;

    private SystemBenchmark(Options options) {
        this.options = options;
        this.logRoot = Path.of("bench", "target", "system-benchmark");
    }

    public static void main(String[] args) throws Exception {
        new SystemBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        figures.put("command", "java -Xmx3g -cp bench/target/benchmarks.jar io.tlswatch.bench.SystemBenchmark "
                + String.join(" ", options.args));
        figures.put("started_at", Instant.now().toString());
        figures.put("machine.cpus", Runtime.getRuntime().availableProcessors());
        figures.put("machine.load_average_before", loadAverage());
        figures.put("postgresql_shared_buffers", options.sharedBuffers);
        try (TlsWatchSystem system = TlsWatchSystem.builder().home(TlsWatchSystem.home()).sweepInterval("1s")
                .postgresSetting("shared_buffers", options.sharedBuffers).logDir(logRoot.resolve("main")).start()) {
            startupAndIdle(system);
            ingestAgainstJdbc(system);
            alertLatency(system);
        }
        figures.put("machine.load_average_after_main", loadAverage());
        largeReport();
        figures.put("machine.load_average_after", loadAverage());
        figures.put("finished_at", Instant.now().toString());
        targets();
        Files.createDirectories(options.out.toAbsolutePath().getParent());
        Files.writeString(options.out, JSON.writeValueAsString(figures));
        System.out.println("written to " + options.out);
    }

    // ------------------------------------------------------------------ startup and idle RSS

    private void startupAndIdle(TlsWatchSystem system) throws Exception {
        log("services ready; idle for 20 s before reading their RSS");
        Thread.sleep(20_000);
        for (ServiceProcess service : List.of(system.store(), system.ingest(), system.alert())) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("startup_s", round(service.lastStartup().toMillis() / 1000.0, 2));
            s.put("quarkus_started_in_s", quarkusStartedIn(service.log()));
            s.put("idle_rss_mb", round(service.rssMb(), 1));
            figures.put(service.name(), s);
            print(service.name() + ".startup_s", s.get("startup_s"));
            print(service.name() + ".quarkus_started_in_s", s.get("quarkus_started_in_s"));
            print(service.name() + ".idle_rss_mb", s.get("idle_rss_mb"));
        }
        // One start is one sample on a noisy machine; restarts (on the migrated database) show the spread.
        for (ServiceProcess service : List.of(system.store(), system.ingest(), system.alert())) {
            List<Double> restarts = new ArrayList<>();
            for (int i = 0; i < RESTARTS; i++) {
                service.stop();
                Thread.sleep(1_000);
                service.start(Duration.ofMinutes(2));
                restarts.add(round(service.lastStartup().toMillis() / 1000.0, 2));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) figures.get(service.name());
            s.put("restarts_s", restarts);
            s.put("restart_max_s", restarts.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            print(service.name() + ".restarts_s", restarts);
        }
    }

    /** Quarkus' own "started in 1.234s" (JVM start to ready, without the JVM's own launch), or null. */
    private static Double quarkusStartedIn(Path log) throws IOException {
        Matcher m = Pattern.compile("started in ([0-9.]+)s").matcher(Files.readString(log));
        Double last = null;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }

    // ------------------------------------------------------------------ end-to-end ingest against JDBC

    private void ingestAgainstJdbc(TlsWatchSystem system) throws Exception {
        WrkLoad.requireInstalled();
        int perOrganisation = 10;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < options.domains; i++) {
            names.add(String.format("domain-%04d.example", i));
        }
        for (int o = 0; o * perOrganisation < names.size(); o++) {
            // An alert address each, as in production: a domain's first failure is mailed, the rest of the week
            // is suppressed. (Without one, every sweep claims the domain again and records "no recipients".)
            system.register(String.format("Organisation %03d", o), names.subList(o * perOrganisation,
                    Math.min(names.size(), (o + 1) * perOrganisation)), List.of("ops@organisation-" + o + ".oob.example"));
        }
        String jdbcBase = "jdbc:postgresql://127.0.0.1:" + system.postgres().getPort() + "/";
        try (Connection c = DriverManager.getConnection(jdbcBase + "postgres", "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("create database baseline");
        }
        Map<String, Long> baselineDomains = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcBase + "baseline", "postgres", "postgres")) {
            BenchPostgres.migrate(c, TlsWatchSystem.home().resolve("report-store/src/main/resources/db/migration"));
            try (Statement s = c.createStatement()) {
                for (int o = 0; o * perOrganisation < names.size(); o++) {
                    try (ResultSet r = s.executeQuery("insert into organisation (name, created_at) values ('Organisation "
                            + o + "', now()) returning id")) {
                        r.next();
                        long org = r.getLong(1);
                        for (String name : names.subList(o * perOrganisation, Math.min(names.size(), (o + 1) * perOrganisation))) {
                            try (ResultSet d = c.createStatement().executeQuery("insert into domain (organisation_id, name, "
                                    + "tls_reporting_enabled, created_at) values (" + org + ", '" + name + "', true, now()) returning id")) {
                                d.next();
                                baselineDomains.put(name, d.getLong(1));
                            }
                        }
                    }
                }
            }
        }

        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Path wrkDir = logRoot.resolve("wrk");
        Pool pool = new Pool(new StoreReportGenerator(ReportGenerator.SEED, names, today), WrkLoad.once(wrkDir,
                "measured", CONTENT_TYPE, options.wrkThreads, options.concurrency, logRoot.resolve("e2e-wrk.log")));
        long t0 = System.nanoTime();
        pool.grow(options.pool);
        log(String.format("generated and parsed %,d reports (mean %d bytes) in %.1f s", pool.size(),
                pool.bytes / pool.size(), (System.nanoTime() - t0) / 1e9));

        long postmaster;
        try (Connection c = DriverManager.getConnection(jdbcBase + "postgres", "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select current_setting('data_directory')")) {
            r.next();
            postmaster = Long.parseLong(Files.readAllLines(Path.of(r.getString(1), "postmaster.pid")).get(0).strip());
        }
        CpuMeter storeCpu = new CpuMeter(system.store().pid(), postmaster);
        CpuMeter ingestCpu = new CpuMeter(system.ingest().pid(), 0);
        CpuMeter alertCpu = new CpuMeter(system.alert().pid(), 0);
        // CPU seconds so far by process: on a shared machine, CPU per report does not count other people's work.
        Supplier<Map<String, Double>> cpuNow = () -> {
            Map<String, Double> store = storeCpu.read();
            Map<String, Double> parts = new LinkedHashMap<>();
            parts.put("bench", store.get("bench"));
            parts.put("load-generator", CpuMeter.reapedChildren());
            parts.put("report-ingest", ingestCpu.read().get("service"));
            parts.put("report-store", store.get("service"));
            parts.put("alert-service", alertCpu.read().get("service"));
            parts.put("postgresql", store.get("postgresql"));
            return parts;
        };

        // Warm-up reports: others (another seed, sequence numbers far above the pool's), so the warm-up does
        // not use up the pool of the measured slices.
        StoreReportGenerator warmGenerator = new StoreReportGenerator(ReportGenerator.SEED + 2, names, today);
        IntFunction<byte[]> warmReport = index -> {
            synchronized (warmGenerator) {
                return warmGenerator.next(1_000_000_000L - index);
            }
        };
        WrkSide e2e = new WrkSide(system.ingest().baseUrl() + "/v1/tlsrpt", pool.wrk,
                WrkLoad.once(wrkDir, "warm-up", CONTENT_TYPE, options.wrkThreads, options.concurrency,
                        logRoot.resolve("e2e-wrk-warm-up.log")), warmReport, cpuNow);
        JdbcBaseline[] baselines = new JdbcBaseline[options.concurrency];
        for (int i = 0; i < baselines.length; i++) {
            baselines[i] = new JdbcBaseline(DriverManager.getConnection(jdbcBase + "baseline", "postgres", "postgres"),
                    baselineDomains);
        }
        Instant receivedAt = Instant.now();
        TlsRptParser parser = TlsRptParser.withDefaults();
        ThreadLocal<Integer> worker = new ThreadLocal<>();
        JdbcSide jdbc = new JdbcSide(pool::size, options.concurrency, worker, index -> {
            if (index >= 0) {
                return baselines[worker.get()].store(pool.parsed.get(index), pool.bodies.get(index), receivedAt);
            }
            byte[] warm = warmReport.apply(index);
            return baselines[worker.get()].store(parser.parse(warm), warm, receivedAt);
        }, cpuNow);

        // Warm-up, not counted: the JIT of three JVMs (and PostgreSQL's caches) before the first slice.
        double e2eWarmRate = e2e.warmUp(options.warmupSeconds);
        double jdbcWarmRate = jdbc.slice(Math.max(1, (int) Math.round(options.warmupSeconds / 2)), false);
        log(String.format("warm-up: end-to-end %.0f/s at the end, JDBC %.0f/s", e2eWarmRate, jdbcWarmRate));
        int seconds = Math.max(1, (int) Math.round(options.durationSeconds / options.rounds));
        // Enough reports for the faster side at half as fast again as its warm-up, so no slice runs out.
        int needed = (int) Math.ceil(1.5 * Math.max(e2eWarmRate, jdbcWarmRate) * seconds * options.rounds);
        if (needed > pool.size()) {
            t0 = System.nanoTime();
            pool.grow(needed - pool.size());
            log(String.format("pool grown to %,d reports in %.1f s", pool.size(), (System.nanoTime() - t0) / 1e9));
        }
        List<String> roundRatios = new ArrayList<>();
        for (int round = 0; round < options.rounds; round++) {
            boolean e2eFirst = round % 2 == 0;
            Side first = e2eFirst ? e2e : jdbc;
            Side second = e2eFirst ? jdbc : e2e;
            double a = first.slice(seconds, true);
            double b = second.slice(seconds, true);
            double ratio = e2eFirst ? a / b : b / a;
            roundRatios.add(String.format(Locale.ROOT, "%.2f", ratio));
            log(String.format("round %d: end-to-end %.0f/s, JDBC %.0f/s, ratio %.2f", round + 1,
                    e2eFirst ? a : b, e2eFirst ? b : a, ratio));
        }
        for (JdbcBaseline b : baselines) {
            b.close();
        }
        e2e.measured.deletePool();
        e2e.warm.deletePool();

        // Zero loss. wrk gives counts, not which report each answer was for; but report-ingest's 2xx answer
        // names the stored row ({"id": ...}) and the lua script keeps those ids: every row a 2xx named must be
        // in the database and hold a report of the measured pool. Reports taken but not answered with a 2xx
        // (refused, or cut off in flight when a slice ended) may be stored all the same; they are counted, not
        // lost, and bound how many stored reports may lack a 2xx.
        Map<Long, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcBase + "postgres", "postgres", "postgres");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("select id, report_id from report")) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getString(2));
            }
        }
        Set<String> poolIds = new HashSet<>();
        for (TlsReport report : pool.parsed) {
            poolIds.add(report.reportId());
        }
        Set<String> storedIds = new HashSet<>(rows.values());
        long stored = poolIds.stream().filter(storedIds::contains).count(); // the warm-up's are in the database too
        long lost = 0;
        Set<Long> acknowledgedRows = new HashSet<>();
        for (long[] ids : e2e.acknowledged) {
            for (long id : ids) {
                acknowledgedRows.add(id);
                String reportId = rows.get(id);
                if (reportId == null || !poolIds.contains(reportId)) {
                    lost++;
                }
            }
        }
        double e2eRate = e2e.perSecond();
        double jdbcRate = jdbc.perSecond();
        put("e2e_load", "wrk " + options.wrkThreads + " thread(s), " + options.concurrency + " connections, POST "
                + CONTENT_TYPE + ", every report once; " + options.rounds + " x " + seconds + " s per side (ABBA)");
        put("e2e_reports_per_s", round(e2eRate, 0));
        put("jdbc_reports_per_s", round(jdbcRate, 0));
        put("e2e_vs_jdbc_ratio", round(e2eRate / jdbcRate, 3));
        // wrk's percentiles are per run: the median slice's, as IngestBenchmark reports them, and the worst.
        put("e2e_latency_p50_ms", round(median(e2e.slices, WrkLoad.Result::p50Ms), 1));
        put("e2e_latency_p99_ms", round(median(e2e.slices, WrkLoad.Result::p99Ms), 1));
        put("e2e_latency_p99_ms_worst_slice", round(e2e.slices.stream().mapToDouble(WrkLoad.Result::p99Ms).max()
                .orElse(Double.NaN), 1));
        put("e2e_slices_p99_ms", e2e.slices.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.p99Ms()))
                .collect(Collectors.joining(" ")));
        put("jdbc_latency_p50_ms", round(jdbc.percentileMs(50), 1));
        put("jdbc_latency_p99_ms", round(jdbc.percentileMs(99), 1));
        put("e2e_round_ratios", String.join(" ", roundRatios));
        put("e2e_seconds", round(e2e.seconds, 1));
        put("jdbc_seconds", round(jdbc.seconds, 1));
        put("e2e_accepted_2xx", e2e.accepted);
        put("e2e_refused", e2e.refused);
        put("e2e_unanswered", e2e.unanswered);
        put("e2e_socket_errors", e2e.socketErrors);
        put("e2e_stored", stored);
        put("e2e_lost", lost);
        put("e2e_acknowledged_rows_distinct", acknowledgedRows.size() == e2e.accepted - e2e.unidentified);
        put("e2e_unidentified_2xx", e2e.unidentified);
        put("e2e_answered_duplicate", e2e.duplicates);
        put("e2e_stored_without_2xx", stored - e2e.accepted);
        // Of those, refused ones can only be told apart from ones cut off in flight when nothing was refused.
        put("e2e_stored_after_503", Math.min(e2e.refused, Math.max(0, stored - e2e.accepted)));
        put("e2e_stored_within_answers", stored >= e2e.accepted - lost
                && stored <= e2e.accepted + e2e.refused + e2e.unanswered);
        put("e2e_pool_reports", pool.size());
        put("e2e_pool_exhausted", e2e.exhausted || jdbc.exhausted);
        put("e2e_warmup_reports_2xx", e2e.warmStored);
        put("concurrency", options.concurrency);
        put("warmup_seconds", options.warmupSeconds);
        Map<String, Double> e2eCpu = e2e.cpuMsPerReport();
        Map<String, Double> jdbcCpu = jdbc.cpuMsPerReport();
        e2eCpu.forEach((part, ms) -> put("e2e_cpu_ms_per_report." + part, round(ms, 3)));
        jdbcCpu.forEach((part, ms) -> put("jdbc_cpu_ms_per_report." + part, round(ms, 3)));
        // What the machine could do if only this ran: the JDBC limit's CPU per report over the system's.
        put("e2e_vs_jdbc_cpu_ratio", round(jdbcCpu.get("total") / e2eCpu.get("total"), 3));
    }

    private static <T> double median(List<T> slices, ToDoubleFunction<T> figure) {
        double[] values = slices.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /**
     * The measured reports, generated and parsed before the timing, in the same order in memory (for the
     * JDBC side) and in wrk's pool file: each side posts each at most once.
     */
    private static final class Pool {
        final StoreReportGenerator generator;
        final TlsRptParser parser = TlsRptParser.withDefaults();
        final WrkLoad wrk;
        final List<byte[]> bodies = new ArrayList<>();
        final List<TlsReport> parsed = new ArrayList<>();
        long bytes;

        Pool(StoreReportGenerator generator, WrkLoad wrk) {
            this.generator = generator;
            this.wrk = wrk;
        }

        /** Between slices only: the JDBC workers read the lists unsynchronised. */
        void grow(int count) throws IOException {
            List<byte[]> added = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] body = generator.next(bodies.size());
                bodies.add(body);
                parsed.add(parser.parse(body));
                added.add(body);
                bytes += body.length;
            }
            wrk.add(added);
        }

        int size() {
            return bodies.size();
        }
    }

    /** One side of the comparison: its timed slices, the reports they stored and the CPU they cost. */
    private abstract static class Side {
        final Supplier<Map<String, Double>> cpu;
        final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        long done;
        double seconds;
        boolean exhausted;

        Side(Supplier<Map<String, Double>> cpu) {
            this.cpu = cpu;
        }

        /** One slice of {@code seconds}; the reports per second it stored. */
        final double slice(int seconds, boolean counted) throws Exception {
            Map<String, Double> before = cpu.get();
            long[] okAndNanos = run(seconds, counted);
            double elapsed = okAndNanos[1] / 1e9;
            if (counted) {
                CpuMeter.minus(cpu.get(), before).forEach((part, sec) -> cpuSeconds.merge(part, sec, Double::sum));
                done += okAndNanos[0];
                this.seconds += elapsed;
            }
            return okAndNanos[0] / elapsed;
        }

        /** Runs the load; the reports answered as stored, and the nanoseconds it took. */
        abstract long[] run(int seconds, boolean counted) throws Exception;

        double perSecond() {
            return done / seconds;
        }

        /** CPU milliseconds per stored report, by process and in total. */
        Map<String, Double> cpuMsPerReport() {
            Map<String, Double> ms = new LinkedHashMap<>();
            cpuSeconds.forEach((part, sec) -> ms.put(part, sec * 1000 / done));
            ms.put("total", cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum() * 1000 / done);
            return ms;
        }
    }

    /**
     * End to end: wrk ({@link WrkLoad}) posting every report once, from a pool of warm-up reports during
     * the warm-up and from the measured pool in the slices; the answers it read, summed over the slices.
     */
    private static final class WrkSide extends Side {
        /** A first guess at the first warm-up run's rate, above what this machine has done cold. */
        private static final double FIRST_GUESS_PER_S = 3_000;
        private static final int FIRST_WARM_UP_RUN_S = 10;
        private static final int WARM_UP_RUN_S = 30;

        final String url;
        final WrkLoad measured;
        final WrkLoad warm;
        final IntFunction<byte[]> warmReport;
        final List<WrkLoad.Result> slices = new ArrayList<>();
        final List<long[]> acknowledged = new ArrayList<>();
        int warmMade;
        long warmStored;
        long accepted;
        long refused;
        long unanswered;
        long socketErrors;
        long unidentified;
        long duplicates;
        private boolean lastExhausted;

        WrkSide(String url, WrkLoad measured, WrkLoad warm, IntFunction<byte[]> warmReport,
                Supplier<Map<String, Double>> cpu) {
            super(cpu);
            this.url = url;
            this.measured = measured;
            this.warm = warm;
            this.warmReport = warmReport;
        }

        /**
         * Warm-up runs, a short one then up to 30 s each, on warm-up reports made before each run: twice
         * as many as the run before went through at its rate (a first guess for the first, twice the
         * guess again after a run that used up its pool); the rate of the last run.
         */
        double warmUp(double totalSeconds) throws Exception {
            double rate = FIRST_GUESS_PER_S;
            int left = (int) Math.round(totalSeconds);
            for (int run = 0; left > 0; run++) {
                int seconds = Math.min(run == 0 ? FIRST_WARM_UP_RUN_S : WARM_UP_RUN_S, left);
                left -= seconds;
                int wanted = (int) Math.ceil(2 * rate * seconds);
                if (warm.remaining() < wanted) {
                    List<byte[]> more = new ArrayList<>();
                    for (int i = warm.remaining(); i < wanted; i++) {
                        more.add(warmReport.apply(-1 - warmMade++));
                    }
                    warm.add(more);
                }
                double reached = slice(seconds, false);
                log(String.format("warm-up: end-to-end %.0f/s for %d s", reached, seconds));
                rate = lastExhausted ? 2 * rate : Math.max(reached, 100);
            }
            return rate;
        }

        @Override
        long[] run(int seconds, boolean counted) throws Exception {
            WrkLoad.Result r = (counted ? measured : warm).run(url, null, seconds);
            WrkLoad.PoolUse use = r.pool();
            lastExhausted = use.exhausted();
            if (!counted) {
                warmStored += use.answered2xx();
            }
            if (use.exhausted()) {
                log((counted ? "measured" : "warm-up") + " pool used up: a wrk thread stopped before the slice's end");
            }
            if (counted) {
                slices.add(r);
                acknowledged.add(use.acknowledgedIds());
                accepted += use.answered2xx();
                refused += use.answeredOther();
                unanswered += use.unanswered();
                socketErrors += r.socketErrors();
                unidentified += use.unidentified();
                duplicates += use.duplicates();
                exhausted |= use.exhausted();
            }
            return new long[] {use.answered2xx(), (long) (r.seconds() * 1e9)};
        }
    }

    /** The JDBC limit: {@code threads} workers in this JVM, each inserting the next report as soon as the last is in. */
    private static final class JdbcSide extends Side {
        interface Work {
            boolean run(int index) throws Exception;
        }

        final IntSupplier available;
        final int threads;
        final ThreadLocal<Integer> workerIndex;
        final Work work;
        final AtomicLong next = new AtomicLong();
        final AtomicLong warmNext = new AtomicLong();
        final List<long[]> latencies = new ArrayList<>();

        JdbcSide(IntSupplier available, int threads, ThreadLocal<Integer> workerIndex, Work work,
                Supplier<Map<String, Double>> cpu) {
            super(cpu);
            this.available = available;
            this.threads = threads;
            this.workerIndex = workerIndex;
            this.work = work;
        }

        @Override
        long[] run(int seconds, boolean counted) throws InterruptedException {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int size = available.getAsInt();
            AtomicLong ok = new AtomicLong();
            long[][] perThread = new long[threads][];
            int[] counts = new int[threads];
            CountDownLatch finished = new CountDownLatch(threads);
            long started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                perThread[t] = new long[1 << 16];
                Thread worker = new Thread(() -> {
                    workerIndex.set(thread);
                    try {
                        while (System.nanoTime() < end) {
                            // Warm-up slices run on negative indices: reports made as needed, not the pool's.
                            long index = counted ? next.getAndIncrement() : -1 - warmNext.getAndIncrement();
                            if (index >= size) {
                                exhausted = true;
                                break;
                            }
                            long t0 = System.nanoTime();
                            if (work.run((int) index)) {
                                ok.incrementAndGet();
                            }
                            long took = System.nanoTime() - t0;
                            if (counts[thread] == perThread[thread].length) {
                                perThread[thread] = Arrays.copyOf(perThread[thread], counts[thread] * 2);
                            }
                            perThread[thread][counts[thread]++] = took;
                        }
                    } catch (Exception e) {
                        System.err.println("JDBC: " + e);
                    } finally {
                        finished.countDown();
                    }
                }, "JDBC-" + t);
                worker.start();
            }
            finished.await();
            long elapsed = System.nanoTime() - started;
            if (counted) {
                for (int t = 0; t < threads; t++) {
                    latencies.add(Arrays.copyOf(perThread[t], counts[t]));
                }
            }
            return new long[] {ok.get(), elapsed};
        }

        double percentileMs(double p) {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return all.length == 0 ? Double.NaN : percentile(all, p) / 1e6;
        }
    }

    // ------------------------------------------------------------------ alert latency

    private void alertLatency(TlsWatchSystem system) throws Exception {
        // The ingest part left some 15,000 failure events behind; alert latency is measured once the sweeps
        // have worked through them (how long that took is a figure of its own).
        long catchUp = System.nanoTime();
        double unhandled = awaitNothingUnhandled(system, Duration.ofMinutes(15));
        put("alert_backlog_catch_up_s", round((System.nanoTime() - catchUp) / 1e9, 1));
        put("alert_backlog_unhandled_age_s_at_end", unhandled);
        Random random = new Random(ReportGenerator.SEED);
        Map<String, Long> sentAt = new LinkedHashMap<>();
        for (int i = 0; i < options.alerts; i++) {
            String domain = "alert-latency-" + i + ".example";
            String recipient = "ops@latency-" + i + ".oob.example";
            system.register("Latency Org " + i, List.of(domain), List.of(recipient));
            byte[] report = failingReport(domain, "latency-" + i);
            long t0 = System.currentTimeMillis();
            Http.Response response = system.postReport(report, "application/tlsrpt+json");
            if (response.status() != 201) {
                throw new IllegalStateException("latency report refused: " + response.status() + " " + response.body());
            }
            sentAt.put(recipient, t0);
            // Spread the reports over the sweep's phase.
            Thread.sleep(500 + random.nextInt(1000));
        }
        long deadline = System.currentTimeMillis() + 120_000;
        List<Double> latencies = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            latencies.clear();
            for (Map.Entry<String, Long> e : sentAt.entrySet()) {
                List<StoredMessage> inbox = system.mail().inbox(e.getKey());
                if (!inbox.isEmpty()) {
                    latencies.add((inbox.get(0).getReceivedDate().getTime() - e.getValue()) / 1000.0);
                }
            }
            if (latencies.size() == sentAt.size()) {
                break;
            }
            Thread.sleep(500);
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        put("alert_samples", sorted.length);
        put("alert_missing", sentAt.size() - sorted.length);
        put("alert_latency_p50_s", round(percentile(sorted, 50), 3));
        put("alert_latency_p99_s", round(percentile(sorted, 99), 3));
        put("alert_latency_max_s", round(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], 3));
        put("alert_sweep_interval", "1s");
    }

    /**
     * Waits until alert-service's {@code tlswatch_alert_oldest_unhandled_age_seconds} is 0 (no failure event
     * waits) on two readings in a row; the last reading.
     */
    private static double awaitNothingUnhandled(TlsWatchSystem system, Duration timeout) throws InterruptedException {
        URI metrics = URI.create("http://127.0.0.1:" + system.alert().managementPort() + "/q/metrics");
        HttpClient client = HttpClient.newHttpClient();
        Pattern gauge = Pattern.compile("(?m)^tlswatch_alert_oldest_unhandled_age_seconds(?:\\{[^}]*})? (\\S+)$");
        long deadline = System.nanoTime() + timeout.toNanos();
        double age = Double.NaN;
        int zeros = 0;
        while (System.nanoTime() < deadline && zeros < 2) {
            try {
                String body = client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = gauge.matcher(body);
                age = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
            } catch (IOException e) {
                age = Double.NaN;
            }
            zeros = age == 0 ? zeros + 1 : 0;
            Thread.sleep(1000);
        }
        return age;
    }

    private static byte[] failingReport(String domain, String reportId) {
        return ("""
                {"organization-name": "Latency Sender", "contact-info": "tlsrpt@sender.example", "report-id": "%s",
                 "date-range": {"start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z"},
                 "policies": [{"policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce",
                   "mx: mx.%s", "max_age: 86400"], "policy-domain": "%s", "mx-host": ["mx.%s"]},
                   "summary": {"total-successful-session-count": 10, "total-failure-session-count": 2},
                   "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                     "receiving-mx-hostname": "mx.%s", "failed-session-count": 2}]}]}
                """).formatted(reportId, domain, domain, domain, domain).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ the 100,000-detail report

    private void largeReport() throws Exception {
        byte[] json = ReportGenerator.large(ReportGenerator.LARGE_FAILURE_DETAILS);
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(compressed)) {
            out.write(json);
        }
        byte[] gzip = compressed.toByteArray();
        put("large_report_json_bytes", json.length);
        put("large_report_gzip_bytes", gzip.length);
        try (TlsWatchSystem system = TlsWatchSystem.builder().home(TlsWatchSystem.home()).sweepInterval("1s")
                .postgresSetting("shared_buffers", options.sharedBuffers).jvmArgs(List.of("-Xmx256m"))
                .logDir(logRoot.resolve("large")).start()) {
            system.register("Large Org", List.of("example.net", "mail.example.org"), List.of("ops@large.oob.example"));
            long t0 = System.nanoTime();
            Http.Response stored = system.postReport(gzip, "application/tlsrpt+gzip");
            double storeSeconds = (System.nanoTime() - t0) / 1e9;
            if (stored.status() != 201) {
                throw new IllegalStateException("large report refused: " + stored.status() + " " + stored.body());
            }
            long t1 = System.nanoTime();
            system.storeApi("GET", "/api/v1/domains/example.net", null, 200);
            double querySeconds = (System.nanoTime() - t1) / 1e9;
            put("large_report_seconds", round(storeSeconds, 2));
            put("large_report_query_seconds", round(querySeconds, 2));
            double peak = 0;
            boolean oom = false;
            for (ServiceProcess service : List.of(system.store(), system.ingest(), system.alert())) {
                double servicePeak = ProcMemory.peakRssMb(service.pid());
                put("large_report_peak_rss_mb." + service.name(), round(servicePeak, 1));
                peak = Math.max(peak, servicePeak);
                oom |= !service.isAlive() || Files.readString(service.log()).contains("OutOfMemoryError");
            }
            put("large_report_peak_rss_mb", round(peak, 1));
            put("large_report_out_of_memory", oom);
            put("large_report_heap", "-Xmx256m");
        }
    }

    // ------------------------------------------------------------------ targets and output

    private void targets() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("e2e_reports_per_s >= 1000", num("e2e_reports_per_s") >= 1000);
        t.put("e2e_vs_jdbc_ratio >= 0.5", num("e2e_vs_jdbc_ratio") >= 0.5);
        // A 2xx without a row id could not be checked: it does not count as kept.
        t.put("e2e_lost == 0", num("e2e_lost") == 0 && num("e2e_unidentified_2xx") == 0);
        t.put("alert_latency_p99_s < 2", num("alert_latency_p99_s") < 2 && num("alert_missing") == 0);
        t.put("large_report_seconds < 10", num("large_report_seconds") < 10 && !(Boolean) figures.get("large_report_out_of_memory"));
        for (String service : SERVICES) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) figures.get(service);
            t.put(service + ".idle_rss_mb < 200", ((Number) s.get("idle_rss_mb")).doubleValue() < 200);
            t.put(service + ".startup_s < 2", ((Number) s.get("startup_s")).doubleValue() < 2);
            t.put(service + ".restart_max_s < 2", ((Number) s.get("restart_max_s")).doubleValue() < 2);
        }
        figures.put("targets_met", t);
        t.forEach((k, v) -> print("target " + k, v));
    }

    private double num(String key) {
        return ((Number) figures.get(key)).doubleValue();
    }

    private void put(String key, Object value) {
        figures.put(key, value);
        print(key, value);
    }

    private static void print(String key, Object value) {
        System.out.println(key + ": " + value);
    }

    private static void log(String message) {
        System.err.println("[system-benchmark " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double round(double value, int digits) {
        if (Double.isNaN(value)) {
            return value;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private record Options(List<String> args, double durationSeconds, double warmupSeconds, int rounds,
            int concurrency, int wrkThreads, int domains, int pool, int alerts, String sharedBuffers, Path out) {

        static Options parse(String[] args) {
            double duration = 60;
            double warmup = 40;
            int rounds = 4;
            int concurrency = 32;
            int wrkThreads = 1;
            int domains = 300;
            int pool = 300_000;
            int alerts = 40;
            // As the store and alert benchmarks: PostgreSQL's default 128MB evicts the pages this load
            // writes to, which cost the end-to-end side more than the JDBC one (docs/BENCHMARKS.md).
            String sharedBuffers = "512MB";
            Path out = Path.of("bench/results/latest.json");
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--duration" -> duration = Double.parseDouble(value);
                    case "--warmup" -> warmup = Double.parseDouble(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--concurrency" -> concurrency = Integer.parseInt(value);
                    case "--wrk-threads" -> wrkThreads = Integer.parseInt(value);
                    case "--domains" -> domains = Integer.parseInt(value);
                    case "--pool" -> pool = Integer.parseInt(value);
                    case "--alerts" -> alerts = Integer.parseInt(value);
                    case "--shared-buffers" -> sharedBuffers = value;
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
                }
                i++;
            }
            return new Options(List.of(args), duration, warmup, rounds, concurrency, wrkThreads, domains, pool, alerts,
                    sharedBuffers, out);
        }
    }
}
