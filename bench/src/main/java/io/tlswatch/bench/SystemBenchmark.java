package io.tlswatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole system as packaged (three JVMs from {@code quarkus-run.jar}, a fresh embedded PostgreSQL, a
 * real SMTP server), measured in one run on this machine (issue 6):
 * <ol>
 *   <li>startup time and idle RSS of each service, started as an operator starts them (no JVM options);</li>
 *   <li>end-to-end ingest: generated reports ({@link StoreReportGenerator}: shapes from the samples, unique
 *       report-ids, 90% all-success) posted to {@code /v1/tlsrpt} by 32 clients, against the same reports'
 *       rows inserted over JDBC ({@link JdbcBaseline}, one transaction per report, 32 connections) into a
 *       second database of the same PostgreSQL: alternating slices (ABBA), so a change in the machine's
 *       load weighs on both; then what was stored is counted against the 2xx answers (zero loss);</li>
 *   <li>alert latency: a failing report for a fresh domain every second or so, from its POST to the SMTP
 *       server's acceptance of the alert, with a 1 s sweep interval;</li>
 *   <li>a report with 100,000 failure details (gzip) through ingest and store, then its domain's breakdown
 *       query, every service restarted with {@code -Xmx256m}: time, peak RSS, no OutOfMemoryError.</li>
 * </ol>
 * Prints {@code name: value} lines and writes them to {@code bench/results/latest.json}.
 *
 * <p>{@code java -Xmx3g -cp bench/target/benchmarks.jar io.tlswatch.bench.SystemBenchmark [--duration 60]
 * [--warmup 40] [--rounds 4] [--concurrency 32] [--domains 300] [--pool 300000] [--alerts 40]
 * [--out bench/results/latest.json]}: about 12 minutes.
 */
public final class SystemBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> SERVICES = List.of("report-store", "report-ingest", "alert-service");

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
        try (TlsWatchSystem system = TlsWatchSystem.builder().home(TlsWatchSystem.home()).sweepInterval("1s")
                .logDir(logRoot.resolve("main")).start()) {
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
            migrate(c);
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

        StoreReportGenerator generator = new StoreReportGenerator(ReportGenerator.SEED,
                names, Instant.now().truncatedTo(ChronoUnit.DAYS));
        byte[][] reports = new byte[options.pool][];
        long bytes = 0;
        for (int i = 0; i < reports.length; i++) {
            reports[i] = generator.next(i);
            bytes += reports[i].length;
        }
        TlsRptParser parser = TlsRptParser.withDefaults();
        TlsReport[] parsed = new TlsReport[reports.length];
        for (int i = 0; i < reports.length; i++) {
            parsed[i] = parser.parse(reports[i]);
        }
        figures.put("e2e.report_mean_bytes", bytes / reports.length);
        log(String.format("generated and parsed %,d reports (mean %d bytes)", reports.length, bytes / reports.length));

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
        java.util.function.Supplier<Map<String, Double>> cpuNow = () -> {
            Map<String, Double> store = storeCpu.read();
            Map<String, Double> parts = new LinkedHashMap<>();
            parts.put("bench", store.get("bench"));
            parts.put("report-ingest", ingestCpu.read().get("service"));
            parts.put("report-store", store.get("service"));
            parts.put("alert-service", alertCpu.read().get("service"));
            parts.put("postgresql", store.get("postgresql"));
            return parts;
        };

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI ingest = URI.create(system.ingest().baseUrl() + "/v1/tlsrpt");
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        java.util.concurrent.atomic.AtomicLongArray acknowledgedBits = new java.util.concurrent.atomic.AtomicLongArray(
                reports.length / 64 + 1);
        java.util.function.IntConsumer acknowledged = i -> acknowledgedBits.accumulateAndGet(i / 64, 1L << (i % 64),
                (a, b) -> a | b);
        // Warm-up reports: others (another seed, sequence numbers far above the pool's), made as needed, so the
        // warm-up does not use up the pool of the measured slices.
        StoreReportGenerator warmGenerator = new StoreReportGenerator(ReportGenerator.SEED + 2,
                names, Instant.now().truncatedTo(ChronoUnit.DAYS));
        java.util.function.IntFunction<byte[]> warmReport = index -> {
            synchronized (warmGenerator) {
                return warmGenerator.next(1_000_000_000L - index);
            }
        };
        Side e2e = new Side("end-to-end", reports.length, index -> {
            byte[] body = index >= 0 ? reports[index] : warmReport.apply(index);
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/tlsrpt+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (index < 0) {
                return response.statusCode() / 100 == 2;
            }
            if (response.statusCode() / 100 == 2) {
                accepted.incrementAndGet();
                acknowledged.accept(index);
                return true;
            }
            refused.incrementAndGet();
            return false;
        });
        JdbcBaseline[] baselines = new JdbcBaseline[options.concurrency];
        for (int i = 0; i < baselines.length; i++) {
            baselines[i] = new JdbcBaseline(DriverManager.getConnection(jdbcBase + "baseline", "postgres", "postgres"),
                    baselineDomains);
        }
        Instant receivedAt = Instant.now();
        ThreadLocal<Integer> worker = new ThreadLocal<>();
        Side jdbc = new Side("JDBC", reports.length, index -> {
            if (index >= 0) {
                return baselines[worker.get()].store(parsed[index], reports[index], receivedAt);
            }
            byte[] warm = warmReport.apply(index);
            return baselines[worker.get()].store(parser.parse(warm), warm, receivedAt);
        });
        jdbc.workerIndex = worker;
        e2e.cpu = cpuNow;
        jdbc.cpu = cpuNow;

        // Warm-up, not counted: the JIT of three JVMs (and PostgreSQL's caches) before the first slice.
        log(String.format("warm-up: end-to-end %.0f/s", e2e.slice(options.concurrency, options.warmupSeconds, false)));
        log(String.format("warm-up: JDBC %.0f/s", jdbc.slice(options.concurrency, options.warmupSeconds / 2, false)));
        double seconds = options.durationSeconds / (double) options.rounds;
        List<String> roundRatios = new ArrayList<>();
        for (int round = 0; round < options.rounds; round++) {
            boolean e2eFirst = round % 2 == 0;
            Side first = e2eFirst ? e2e : jdbc;
            Side second = e2eFirst ? jdbc : e2e;
            double a = first.slice(options.concurrency, seconds, true);
            double b = second.slice(options.concurrency, seconds, true);
            double ratio = e2eFirst ? a / b : b / a;
            roundRatios.add(String.format(Locale.ROOT, "%.2f", ratio));
            log(String.format("round %d: end-to-end %.0f/s, JDBC %.0f/s, ratio %.2f", round + 1,
                    e2eFirst ? a : b, e2eFirst ? b : a, ratio));
        }
        for (JdbcBaseline b : baselines) {
            b.close();
        }
        // Zero loss: every report that got a 2xx is in the database (found by its report-id). A report refused
        // with 503 may be stored all the same (the store committed, the answer came too late): the sender's
        // retry then finds a duplicate, so it counts as stored, not as lost.
        java.util.Set<String> storedIds = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcBase + "postgres", "postgres", "postgres");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("select report_id from report")) {
            while (r.next()) {
                storedIds.add(r.getString(1));
            }
        }
        long stored = 0; // of the measured reports (the warm-up's are in the database too)
        long lost = 0;
        for (int i = 0; i < reports.length; i++) {
            boolean isStored = storedIds.contains(parsed[i].reportId());
            stored += isStored ? 1 : 0;
            if ((acknowledgedBits.get(i / 64) & (1L << (i % 64))) != 0 && !isStored) {
                lost++;
            }
        }
        double e2eRate = e2e.perSecond();
        double jdbcRate = jdbc.perSecond();
        put("e2e_reports_per_s", round(e2eRate, 0));
        put("jdbc_reports_per_s", round(jdbcRate, 0));
        put("e2e_vs_jdbc_ratio", round(e2eRate / jdbcRate, 3));
        put("e2e_latency_p50_ms", round(e2e.percentileMs(50), 1));
        put("e2e_latency_p99_ms", round(e2e.percentileMs(99), 1));
        put("jdbc_latency_p50_ms", round(jdbc.percentileMs(50), 1));
        put("jdbc_latency_p99_ms", round(jdbc.percentileMs(99), 1));
        put("e2e_round_ratios", String.join(" ", roundRatios));
        put("e2e_seconds", round(e2e.seconds, 1));
        put("jdbc_seconds", round(jdbc.seconds, 1));
        put("e2e_accepted_2xx", accepted.get());
        put("e2e_refused", refused.get());
        put("e2e_stored", stored);
        put("e2e_lost", lost);
        put("e2e_stored_after_503", stored - accepted.get());
        put("e2e_pool_exhausted", e2e.exhausted || jdbc.exhausted);
        put("concurrency", options.concurrency);
        put("warmup_seconds", options.warmupSeconds);
        Map<String, Double> e2eCpu = e2e.cpuMsPerReport();
        Map<String, Double> jdbcCpu = jdbc.cpuMsPerReport();
        e2eCpu.forEach((part, ms) -> put("e2e_cpu_ms_per_report." + part, round(ms, 3)));
        jdbcCpu.forEach((part, ms) -> put("jdbc_cpu_ms_per_report." + part, round(ms, 3)));
        // What the machine could do if only this ran: the JDBC limit's CPU per report over the system's.
        put("e2e_vs_jdbc_cpu_ratio", round(jdbcCpu.get("total") / e2eCpu.get("total"), 3));
    }

    /** report-store's Flyway migrations as plain SQL, in version order (the baseline's schema is the service's). */
    private static void migrate(Connection connection) throws IOException, SQLException {
        Path dir = TlsWatchSystem.home().resolve("report-store/src/main/resources/db/migration");
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> version.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Integer.compare(number(version, a), number(version, b))).toList();
        }
        for (Path file : files) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(Files.readString(file));
            }
        }
    }

    private static int number(Pattern version, Path file) {
        Matcher m = version.matcher(file.getFileName().toString());
        m.matches();
        return Integer.parseInt(m.group(1));
    }

    /** One side of the comparison: the reports it has taken so far, its timed slices and latencies. */
    private static final class Side {
        interface Work {
            boolean run(int index) throws Exception;
        }

        final String name;
        final int available;
        final Work work;
        final AtomicLong next = new AtomicLong();
        final AtomicLong warmNext = new AtomicLong();
        final List<long[]> latencies = new ArrayList<>();
        ThreadLocal<Integer> workerIndex;
        java.util.function.Supplier<Map<String, Double>> cpu;
        final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        long done;
        double seconds;
        boolean exhausted;

        Side(String name, int available, Work work) {
            this.name = name;
            this.available = available;
            this.work = work;
        }

        /** Runs {@code threads} workers for {@code seconds}; the reports per second of the slice. */
        double slice(int threads, double seconds, boolean counted) throws InterruptedException {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            AtomicLong ok = new AtomicLong();
            long[][] perThread = new long[threads][];
            int[] counts = new int[threads];
            CountDownLatch finished = new CountDownLatch(threads);
            Map<String, Double> cpuBefore = cpu.get();
            long started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                perThread[t] = new long[1 << 16];
                Thread worker = new Thread(() -> {
                    if (workerIndex != null) {
                        workerIndex.set(thread);
                    }
                    try {
                        while (System.nanoTime() < end) {
                            // Warm-up slices run on negative indices: reports made as needed, not the pool's.
                            long index = counted ? next.getAndIncrement() : -1 - warmNext.getAndIncrement();
                            if (index >= available) {
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
                        System.err.println(name + ": " + e);
                    } finally {
                        finished.countDown();
                    }
                }, name + "-" + t);
                worker.start();
            }
            finished.await();
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (counted) {
                CpuMeter.minus(cpu.get(), cpuBefore).forEach((part, sec) -> cpuSeconds.merge(part, sec, Double::sum));
                done += ok.get();
                this.seconds += elapsed;
                for (int t = 0; t < threads; t++) {
                    latencies.add(Arrays.copyOf(perThread[t], counts[t]));
                }
            }
            return ok.get() / elapsed;
        }

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
                .jvmArgs(List.of("-Xmx256m")).logDir(logRoot.resolve("large")).start()) {
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
        t.put("e2e_lost == 0", num("e2e_lost") == 0);
        t.put("alert_latency_p99_s < 2", num("alert_latency_p99_s") < 2 && num("alert_missing") == 0);
        t.put("large_report_seconds < 10", num("large_report_seconds") < 10 && !(Boolean) figures.get("large_report_out_of_memory"));
        for (String service : SERVICES) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) figures.get(service);
            t.put(service + ".idle_rss_mb < 200", ((Number) s.get("idle_rss_mb")).doubleValue() < 200);
            t.put(service + ".startup_s < 2", ((Number) s.get("startup_s")).doubleValue() < 2);
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
            int concurrency, int domains, int pool, int alerts, Path out) {

        static Options parse(String[] args) {
            double duration = 60;
            double warmup = 40;
            int rounds = 4;
            int concurrency = 32;
            int domains = 300;
            int pool = 300_000;
            int alerts = 40;
            Path out = Path.of("bench/results/latest.json");
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--duration" -> duration = Double.parseDouble(value);
                    case "--warmup" -> warmup = Double.parseDouble(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--concurrency" -> concurrency = Integer.parseInt(value);
                    case "--domains" -> domains = Integer.parseInt(value);
                    case "--pool" -> pool = Integer.parseInt(value);
                    case "--alerts" -> alerts = Integer.parseInt(value);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
                }
                i++;
            }
            return new Options(List.of(args), duration, warmup, rounds, concurrency, domains, pool, alerts, out);
        }
    }
}
