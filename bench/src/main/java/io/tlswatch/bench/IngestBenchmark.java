package io.tlswatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tlswatch.system.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.subethamail.smtp.server.SMTPServer;

/**
 * report-ingest alone (docs/BENCHMARKS.md, section report-ingest): its packaged jar as a child process
 * in front of a report-store that answers at once ({@link InstantReportStore}), rate limits set out of
 * the way.
 *
 * <ol>
 *   <li>HTTP: wrk ({@link WrkLoad}) POSTs gzip reports of about 1 KiB ({@link IngestReports}, each with
 *       its own report-id) to {@code /v1/tlsrpt} on {@code --connections} connections from
 *       {@code --threads} threads. The baseline is the same load, same bodies, against the stand-in
 *       store itself, a Vert.x server that reads the body and answers 201: what this machine's HTTP
 *       stack does at that moment. After a warm-up of each, the two alternate in slices (ABBA), so load
 *       from other work on the machine falls on both alike.</li>
 *   <li>SMTP: {@code --sessions} concurrent sessions ({@link SmtpLoad}) each send report mails over one
 *       connection, against report-ingest's listener and, as the baseline, a bare subethasmtp that
 *       reads each message and drops it; warm-ups, then ABBA slices.</li>
 *   <li>Writes {@code name: value} lines and {@code ingest-latest.json}; stops everything it started.</li>
 * </ol>
 *
 * {@code java -cp bench/target/benchmarks.jar io.tlswatch.bench.IngestBenchmark --help} lists the options.
 */
public final class IngestBenchmark {

    static final String INTERNAL_TOKEN = "bench-internal-token";
    static final double HTTP_TARGET_PER_S = 3_000;
    static final double HTTP_TARGET_P99_MS = 50;
    static final double SMTP_TARGET_PER_S = 500;
    /** Rate limits far above anything one client address here can send, so they never refuse a report. */
    private static final String NO_LIMIT = "1000000000";

    private final Options options;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private InstantReportStore store;
    private ServiceProcess ingest;
    private SMTPServer discard;
    private CpuMeter cpu;

    private IngestBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        new IngestBenchmark(options).run();
    }

    private void run() throws Exception {
        WrkLoad.requireInstalled();
        Files.createDirectories(options.results);
        RunFacts.describe(figures, "report-ingest/src", "bench/src");
        figures.put("run.options", options.describe());
        figures.put("run.jar", options.jar.toString());
        figures.put("run.load_average_start", RunFacts.loadAverage());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        try {
            long t0 = System.nanoTime();
            List<byte[]> reports = IngestReports.gzipReports(options.pool);
            List<byte[]> mails = new ArrayList<>();
            for (int i = 0; i < Math.min(options.pool, options.mailPool); i++) {
                mails.add(IngestReports.mail(i, reports.get(i)));
            }
            figures.put("reports.count", reports.size());
            figures.put("reports.gzip_mean_bytes", reports.stream().mapToInt(r -> r.length).sum() / reports.size());
            figures.put("reports.mail_mean_bytes", mails.stream().mapToInt(m -> m.length).sum() / mails.size());
            RunFacts.log(String.format("generated %,d gzip reports (mean %s bytes) and %,d mails (mean %s bytes) in %.1f s",
                    reports.size(), figures.get("reports.gzip_mean_bytes"), mails.size(),
                    figures.get("reports.mail_mean_bytes"), (System.nanoTime() - t0) / 1e9));
            startStore();
            startIngest();
            if (!options.skipHttp) {
                http(reports);
            }
            if (!options.skipSmtp) {
                smtp(mails);
            }
            figures.put("run.load_average_end", RunFacts.loadAverage());
            verdicts();
            write();
        } finally {
            stop();
        }
    }

    // ---------------------------------------------------------------- set-up

    private void startStore() throws Exception {
        store = InstantReportStore.start(INTERNAL_TOKEN);
        RunFacts.log("stand-in report-store on port " + store.port);
    }

    private void startIngest() throws Exception {
        smtpPort = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_REST_CLIENT_REPORT_STORE_URL", store.baseUrl());
        env.put("TLSWATCH_INTERNAL_TOKEN", INTERNAL_TOKEN);
        env.put("TLSWATCH_INGEST_RATE_LIMIT_REQUESTS_PER_SECOND", NO_LIMIT);
        env.put("TLSWATCH_INGEST_RATE_LIMIT_BURST", NO_LIMIT);
        env.put("TLSWATCH_INGEST_SMTP_PORT", Integer.toString(smtpPort));
        env.put("TLSWATCH_INGEST_SMTP_MESSAGES_PER_MINUTE_PER_CLIENT", NO_LIMIT);
        env.put("TLSWATCH_INGEST_SMTP_MAX_CONNECTIONS_PER_CLIENT", Integer.toString(options.sessions + 10));
        env.put("TLSWATCH_INGEST_ACCEPTED_RECIPIENT_DOMAINS", IngestReports.RECIPIENT_DOMAIN);
        Path log = options.results.resolve("ingest-service.log");
        long t0 = System.nanoTime();
        ingest = new ServiceProcess("report-ingest", options.jar, options.serviceJvmArgs, env, log)
                .start(Duration.ofMinutes(2));
        cpu = new CpuMeter(ingest.pid(), 0);
        RunFacts.log(String.format("report-ingest (pid %d) ready on HTTP %d, SMTP %d in %.1f s; log in %s",
                ingest.pid(), ingest.httpPort(), smtpPort, (System.nanoTime() - t0) / 1e9, log));
    }

    private int smtpPort;

    private void stop() {
        if (ingest != null) {
            ingest.close();
            ingest = null;
        }
        if (discard != null) {
            discard.stop();
            discard = null;
        }
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                System.err.println("stand-in store did not stop cleanly: " + e);
            }
            store = null;
        }
    }

    // ---------------------------------------------------------------- HTTP

    private void http(List<byte[]> reports) throws Exception {
        WrkLoad wrk = WrkLoad.cycling(options.work, reports, "application/tlsrpt+gzip", options.threads,
                options.connections, options.results.resolve("ingest-wrk.log"));
        String ingestUrl = ingest.baseUrl() + "/v1/tlsrpt";
        String baselineUrl = store.baseUrl() + "/internal/v1/reports";
        String authorization = "Bearer " + INTERNAL_TOKEN;
        RunFacts.log("HTTP: warm-up, report-ingest " + options.httpWarmup + " s, baseline " + options.baselineWarmup + " s");
        WrkLoad.Result warm = wrk.run(ingestUrl, authorization, options.httpWarmup);
        RunFacts.log(String.format("  report-ingest warm-up: %.0f/s, p99 %.1f ms, non-2xx %d", warm.perSecond(),
                warm.p99Ms(), warm.non2xx()));
        put("http.ingest.warmup_reports_per_s", warm.perSecond());
        figures.put("http.ingest.warmup_non_2xx", warm.non2xx());
        figures.put("http.ingest.warmup_socket_errors", warm.socketErrors());
        wrk.run(baselineUrl, authorization, options.baselineWarmup);

        int slice = Math.max(1, Math.round(options.httpSeconds / (float) options.rounds));
        List<WrkLoad.Result> service = new ArrayList<>();
        List<WrkLoad.Result> baseline = new ArrayList<>();
        Map<String, Double> serviceCpu = new HashMap<>();
        Map<String, Double> baselineCpu = new HashMap<>();
        long storedBefore = store.submissions();
        long storedByIngest = 0;
        for (int round = 0; round < options.rounds; round++) {
            boolean serviceFirst = round % 2 == 0;
            for (int side = 0; side < 2; side++) {
                boolean isService = (side == 0) == serviceFirst;
                Map<String, Double> before = cpu.read();
                long submissionsBefore = store.submissions();
                WrkLoad.Result r = wrk.run(isService ? ingestUrl : baselineUrl, authorization, slice);
                add(isService ? serviceCpu : baselineCpu, CpuMeter.minus(cpu.read(), before));
                if (isService) {
                    storedByIngest += store.submissions() - submissionsBefore;
                }
                (isService ? service : baseline).add(r);
            }
            WrkLoad.Result s = service.get(round);
            WrkLoad.Result b = baseline.get(round);
            RunFacts.log(String.format("round %d of %d: report-ingest %.0f/s (p50 %.1f, p99 %.1f ms), baseline %.0f/s "
                            + "(p50 %.1f, p99 %.1f ms), ratio %.2f", round + 1, options.rounds, s.perSecond(), s.p50Ms(),
                    s.p99Ms(), b.perSecond(), b.p50Ms(), b.p99Ms(), s.perSecond() / b.perSecond()));
        }
        long serviceRequests = service.stream().mapToLong(WrkLoad.Result::requests).sum();
        long baselineRequests = baseline.stream().mapToLong(WrkLoad.Result::requests).sum();
        double servicePerS = serviceRequests / service.stream().mapToDouble(WrkLoad.Result::seconds).sum();
        double baselinePerS = baselineRequests / baseline.stream().mapToDouble(WrkLoad.Result::seconds).sum();
        figures.put("http.load", "wrk 4.1, " + options.threads + " threads, " + options.connections
                + " connections, POST application/tlsrpt+gzip, " + options.rounds + " x " + slice
                + " s per side (ABBA) after warm-ups of " + options.httpWarmup + " and " + options.baselineWarmup + " s");
        put("http.ingest.reports_per_s", servicePerS);
        put("http.ingest.p50_ms_median_slice", median(service, WrkLoad.Result::p50Ms));
        put("http.ingest.p99_ms_median_slice", median(service, WrkLoad.Result::p99Ms));
        put("http.ingest.p99_ms_worst_slice", service.stream().mapToDouble(WrkLoad.Result::p99Ms).max().orElse(0));
        put("http.ingest.p999_ms_worst_slice", service.stream().mapToDouble(WrkLoad.Result::p999Ms).max().orElse(0));
        put("http.ingest.max_ms", service.stream().mapToDouble(WrkLoad.Result::maxMs).max().orElse(0));
        figures.put("http.ingest.responses", serviceRequests);
        figures.put("http.ingest.non_2xx", service.stream().mapToLong(WrkLoad.Result::non2xx).sum());
        figures.put("http.ingest.socket_errors", service.stream().mapToLong(WrkLoad.Result::socketErrors).sum());
        figures.put("http.ingest.stored_at_stub", storedByIngest);
        put("http.baseline.requests_per_s", baselinePerS);
        put("http.baseline.p50_ms_median_slice", median(baseline, WrkLoad.Result::p50Ms));
        put("http.baseline.p99_ms_median_slice", median(baseline, WrkLoad.Result::p99Ms));
        figures.put("http.baseline.non_2xx", baseline.stream().mapToLong(WrkLoad.Result::non2xx).sum());
        put("http.ratio", servicePerS / baselinePerS);
        figures.put("http.slices.ingest_per_s", join(service, WrkLoad.Result::perSecond, "%.0f"));
        figures.put("http.slices.baseline_per_s", join(baseline, WrkLoad.Result::perSecond, "%.0f"));
        figures.put("http.slices.ingest_p99_ms", join(service, WrkLoad.Result::p99Ms, "%.1f"));
        figures.put("http.slices.ratio", ratios(service, baseline));
        put("http.ingest.cpu_ms_per_report.ingest", 1e3 * serviceCpu.get("service") / serviceRequests);
        put("http.ingest.cpu_ms_per_report.stand_in_store", 1e3 * serviceCpu.get("bench") / serviceRequests);
        put("http.baseline.cpu_ms_per_request", 1e3 * baselineCpu.get("bench") / baselineRequests);
        figures.put("run.load_average_after_http", RunFacts.loadAverage());
    }

    // ---------------------------------------------------------------- SMTP

    private void smtp(List<byte[]> mails) throws Exception {
        discard = SmtpLoad.discardingServer(16 * 1024 * 1024);
        int baselinePort = discard.getPortAllocated();
        SmtpLoad load = new SmtpLoad(mails, options.sessions);
        RunFacts.log("SMTP: warm-up, report-ingest " + options.smtpWarmup + " s, baseline " + options.baselineWarmup + " s");
        SmtpLoad.Result warm = load.run(smtpPort, options.smtpWarmup);
        RunFacts.log(String.format("  report-ingest warm-up: %.0f/s, failures %d%s", warm.perSecond(), warm.failures(),
                warm.firstFailure() == null ? "" : " (" + warm.firstFailure() + ")"));
        put("smtp.ingest.warmup_messages_per_s", warm.perSecond());
        figures.put("smtp.ingest.warmup_failures", warm.failures());
        if (warm.firstFailure() != null) {
            figures.put("smtp.ingest.warmup_first_failure", warm.firstFailure());
        }
        load.run(baselinePort, options.baselineWarmup);

        double slice = options.smtpSeconds / (double) options.rounds;
        List<SmtpLoad.Result> service = new ArrayList<>();
        List<SmtpLoad.Result> baseline = new ArrayList<>();
        Map<String, Double> serviceCpu = new HashMap<>();
        long storedByIngest = 0;
        for (int round = 0; round < options.rounds; round++) {
            boolean serviceFirst = round % 2 == 0;
            for (int side = 0; side < 2; side++) {
                boolean isService = (side == 0) == serviceFirst;
                Map<String, Double> before = cpu.read();
                long submissionsBefore = store.submissions();
                SmtpLoad.Result r = load.run(isService ? smtpPort : baselinePort, slice);
                if (isService) {
                    add(serviceCpu, CpuMeter.minus(cpu.read(), before));
                    storedByIngest += store.submissions() - submissionsBefore;
                }
                (isService ? service : baseline).add(r);
            }
            SmtpLoad.Result s = service.get(round);
            SmtpLoad.Result b = baseline.get(round);
            RunFacts.log(String.format("round %d of %d: report-ingest %.0f msg/s (p50 %.1f, p99 %.1f ms), baseline "
                            + "%.0f msg/s (p50 %.1f, p99 %.1f ms), ratio %.2f", round + 1, options.rounds, s.perSecond(),
                    s.p50Ms(), s.p99Ms(), b.perSecond(), b.p50Ms(), b.p99Ms(), s.perSecond() / b.perSecond()));
        }
        long serviceMessages = service.stream().mapToLong(SmtpLoad.Result::messages).sum();
        double servicePerS = serviceMessages / service.stream().mapToDouble(SmtpLoad.Result::seconds).sum();
        double baselinePerS = baseline.stream().mapToLong(SmtpLoad.Result::messages).sum()
                / baseline.stream().mapToDouble(SmtpLoad.Result::seconds).sum();
        figures.put("smtp.load", "Java client (SmtpLoad), " + options.sessions + " sessions, one connection each: "
                + "MAIL, RCPT, DATA, RSET per message; " + options.rounds + " x "
                + String.format(Locale.ROOT, "%.1f", slice) + " s per side (ABBA) after warm-ups of "
                + options.smtpWarmup + " and " + options.baselineWarmup + " s");
        put("smtp.ingest.messages_per_s", servicePerS);
        put("smtp.ingest.p50_ms_median_slice", median(service, SmtpLoad.Result::p50Ms));
        put("smtp.ingest.p99_ms_median_slice", median(service, SmtpLoad.Result::p99Ms));
        figures.put("smtp.ingest.messages", serviceMessages);
        figures.put("smtp.ingest.failures", service.stream().mapToLong(SmtpLoad.Result::failures).sum());
        service.stream().map(SmtpLoad.Result::firstFailure).filter(f -> f != null).findFirst()
                .ifPresent(f -> figures.put("smtp.ingest.first_failure", f));
        figures.put("smtp.ingest.stored_at_stub", storedByIngest);
        put("smtp.ingest.cpu_ms_per_message.ingest", 1e3 * serviceCpu.get("service") / serviceMessages);
        put("smtp.baseline.messages_per_s", baselinePerS);
        put("smtp.baseline.p50_ms_median_slice", median(baseline, SmtpLoad.Result::p50Ms));
        put("smtp.baseline.p99_ms_median_slice", median(baseline, SmtpLoad.Result::p99Ms));
        figures.put("smtp.baseline.failures", baseline.stream().mapToLong(SmtpLoad.Result::failures).sum());
        put("smtp.ratio", servicePerS / baselinePerS);
        figures.put("smtp.slices.ingest_per_s", join(service, SmtpLoad.Result::perSecond, "%.0f"));
        figures.put("smtp.slices.baseline_per_s", join(baseline, SmtpLoad.Result::perSecond, "%.0f"));
        figures.put("smtp.slices.ratio", ratios(service, baseline));
    }

    // ---------------------------------------------------------------- results

    private void verdicts() {
        if (figures.containsKey("http.ingest.reports_per_s")) {
            double perS = (double) figures.get("http.ingest.reports_per_s");
            double p99 = (double) figures.get("http.ingest.p99_ms_worst_slice");
            boolean clean = (long) figures.get("http.ingest.non_2xx") == 0 && (long) figures.get("http.ingest.socket_errors") == 0;
            figures.put("verdict.http_throughput", (perS >= HTTP_TARGET_PER_S ? "met" : "missed") + " (target >= "
                    + (int) HTTP_TARGET_PER_S + " reports/s" + (clean ? "" : "; some requests failed") + ")");
            figures.put("verdict.http_p99", (p99 < HTTP_TARGET_P99_MS ? "met" : "missed")
                    + " (target p99 < " + (int) HTTP_TARGET_P99_MS + " ms, worst slice)");
        }
        if (figures.containsKey("smtp.ingest.messages_per_s")) {
            double perS = (double) figures.get("smtp.ingest.messages_per_s");
            figures.put("verdict.smtp_throughput", (perS >= SMTP_TARGET_PER_S ? "met" : "missed") + " (target >= "
                    + (int) SMTP_TARGET_PER_S + " messages/s" + ((long) figures.get("smtp.ingest.failures") == 0 ? ""
                    : "; some messages failed") + ")");
        }
    }

    private void write() throws IOException {
        System.out.println();
        figures.forEach((name, value) -> System.out.println(name + ": " + value));
        Path file = options.results.resolve("ingest-latest.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        System.out.println();
        RunFacts.log("figures written to " + file);
    }

    private void put(String name, double value) {
        figures.put(name, Math.round(value * 100) / 100.0);
    }

    private static void add(Map<String, Double> total, Map<String, Double> delta) {
        delta.forEach((part, seconds) -> total.merge(part, seconds, Double::sum));
    }

    private static <T> double median(List<T> slices, ToDoubleFunction<T> figure) {
        double[] values = slices.stream().mapToDouble(figure).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static <T> String join(List<T> slices, ToDoubleFunction<T> figure, String format) {
        return slices.stream().map(s -> String.format(Locale.ROOT, format, figure.applyAsDouble(s)))
                .collect(Collectors.joining(" "));
    }

    private static String ratios(List<? extends Object> service, List<? extends Object> baseline) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < service.size(); i++) {
            out.add(String.format(Locale.ROOT, "%.2f", perSecond(service.get(i)) / perSecond(baseline.get(i))));
        }
        return String.join(" ", out);
    }

    private static double perSecond(Object result) {
        return result instanceof WrkLoad.Result w ? w.perSecond() : ((SmtpLoad.Result) result).perSecond();
    }

    static final class Options {
        Path jar = Path.of("report-ingest/target/quarkus-app/quarkus-run.jar");
        Path results = Path.of("bench/results");
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "tlswatch-ingest-bench");
        int httpSeconds = 40;
        int smtpSeconds = 32;
        int rounds = 4;
        // Under a loaded machine the JIT needs most of a minute (C2 competes for the same two cores).
        int httpWarmup = 40;
        int smtpWarmup = 10;
        int baselineWarmup = 5;
        int connections = 32;
        int threads = 2;
        int sessions = 8;
        int pool = 10_000;
        int mailPool = 2_000;
        List<String> serviceJvmArgs = List.of();
        boolean skipHttp;
        boolean skipSmtp;

        private static final String HELP = """
                java -cp bench/target/benchmarks.jar io.tlswatch.bench.IngestBenchmark [options]
                Run from the repository root; needs wrk (apt-get install -y wrk). Options (defaults in brackets):
                  --jar PATH                report-ingest's packaged jar [report-ingest/target/quarkus-app/quarkus-run.jar]
                  --results DIR             where ingest-latest.json, ingest-service.log, ingest-wrk.log go [bench/results]
                  --work DIR                wrk's script and report pool [$TMPDIR/tlswatch-ingest-bench]
                  --http-seconds S          measured HTTP seconds of each side [40]
                  --smtp-seconds S          measured SMTP seconds of each side [32]
                  --rounds R                each side's measured seconds in R alternating slices, ABBA [4]
                  --http-warmup S           report-ingest's HTTP warm-up [40]
                  --smtp-warmup S           report-ingest's SMTP warm-up [10]
                  --baseline-warmup S       each baseline's warm-up [5]
                  --connections C           wrk connections [32]
                  --threads T               wrk threads [2]
                  --sessions N              concurrent SMTP sessions [8]
                  --pool N                  distinct gzip reports (report-ids) cycled through [10000]
                  --mail-pool N             distinct report mails cycled through [2000]
                  --service-jvm-args "A B"  JVM options for report-ingest, e.g. a JFR recording [none]
                  --skip-http, --skip-smtp  leave one channel out
                """;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        System.out.print(HELP);
                        return null;
                    }
                    case "--skip-http" -> {
                        o.skipHttp = true;
                        continue;
                    }
                    case "--skip-smtp" -> {
                        o.skipSmtp = true;
                        continue;
                    }
                    default -> {
                    }
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value\n" + HELP);
                }
                String value = args[++i];
                switch (arg) {
                    case "--jar" -> o.jar = Path.of(value);
                    case "--results" -> o.results = Path.of(value);
                    case "--work" -> o.work = Path.of(value);
                    case "--http-seconds" -> o.httpSeconds = Integer.parseInt(value);
                    case "--smtp-seconds" -> o.smtpSeconds = Integer.parseInt(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--http-warmup" -> o.httpWarmup = Integer.parseInt(value);
                    case "--smtp-warmup" -> o.smtpWarmup = Integer.parseInt(value);
                    case "--baseline-warmup" -> o.baselineWarmup = Integer.parseInt(value);
                    case "--connections" -> o.connections = Integer.parseInt(value);
                    case "--threads" -> o.threads = Integer.parseInt(value);
                    case "--sessions" -> o.sessions = Integer.parseInt(value);
                    case "--pool" -> o.pool = Integer.parseInt(value);
                    case "--mail-pool" -> o.mailPool = Integer.parseInt(value);
                    case "--service-jvm-args" -> o.serviceJvmArgs = value.isBlank() ? List.of()
                            : Arrays.asList(value.strip().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + HELP);
                }
            }
            return o;
        }

        String describe() {
            return "http-seconds=" + httpSeconds + " smtp-seconds=" + smtpSeconds + " rounds=" + rounds
                    + " http-warmup=" + httpWarmup + " smtp-warmup=" + smtpWarmup + " baseline-warmup=" + baselineWarmup
                    + " connections=" + connections + " threads=" + threads + " sessions=" + sessions + " pool=" + pool
                    + " mail-pool=" + mailPool + " service-jvm-args=" + serviceJvmArgs;
        }
    }
}
