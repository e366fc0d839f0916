package io.tlswatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The parser/baseline throughput ratio measured in pairs, for a machine whose load changes while it
 * is measured. JMH runs one benchmark after another, so a load that comes and goes can favour either
 * side; here both sides alternate in short rounds in one JVM (the order flipped every round), the
 * ratio is taken per round, and the median over many rounds is reported with its quartiles. Load that
 * lasts a round hits both sides of it alike.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.tlswatch.bench.ParserRatio [rounds] [roundMillis]}
 */
public final class ParserRatio {

    private static volatile Object sink;

    private ParserRatio() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long roundMillis = args.length > 1 ? Long.parseLong(args[1]) : 500;
        ObjectMapper mapper = new ObjectMapper();
        byte[] typical = ReportGenerator.typical();
        byte[] large = ReportGenerator.large(ReportGenerator.LARGE_FAILURE_DETAILS);
        TlsRptParser parser = TlsRptParser.withDefaults();
        TlsRptParser largeParser = new TlsRptParser(ParserBenchmark.LARGE_PLAIN_JSON_LIMITS);

        measure("typical", typical.length, rounds, roundMillis,
                () -> parser.parse(typical), () -> readTree(mapper, typical));
        measure("large", large.length, Math.max(10, rounds / 4), roundMillis * 6,
                () -> largeParser.parse(large), () -> readTree(mapper, large));
    }

    private static JsonNode readTree(ObjectMapper mapper, byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void measure(String name, int bytes, int rounds, long roundMillis, Supplier<TlsReport> ours,
            Supplier<JsonNode> baseline) {
        // Warm-up: long enough for both to reach C2 code, alternating like the measurement.
        for (int i = 0; i < 6; i++) {
            opsPerSecond(ours, roundMillis);
            opsPerSecond(baseline, roundMillis);
        }
        List<Double> ratios = new ArrayList<>();
        double oursTotal = 0;
        double baselineTotal = 0;
        for (int round = 0; round < rounds; round++) {
            double a;
            double b;
            if (round % 2 == 0) {
                a = opsPerSecond(ours, roundMillis);
                b = opsPerSecond(baseline, roundMillis);
            } else {
                b = opsPerSecond(baseline, roundMillis);
                a = opsPerSecond(ours, roundMillis);
            }
            ratios.add(a / b);
            oursTotal += a;
            baselineTotal += b;
        }
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "%s_bytes: %d%n", name, bytes);
        System.out.printf(Locale.ROOT, "%s_rounds: %d x 2 x %d ms%n", name, rounds, roundMillis);
        System.out.printf(Locale.ROOT, "%s_parser_ops_per_s_mean: %.1f%n", name, oursTotal / rounds);
        System.out.printf(Locale.ROOT, "%s_readtree_ops_per_s_mean: %.1f%n", name, baselineTotal / rounds);
        System.out.printf(Locale.ROOT, "%s_ratio_median: %.3f%n", name, quantile(ratios, 0.5));
        System.out.printf(Locale.ROOT, "%s_ratio_q1_q3: %.3f .. %.3f%n", name, quantile(ratios, 0.25),
                quantile(ratios, 0.75));
    }

    private static double opsPerSecond(Supplier<?> work, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long start = System.nanoTime();
        long ops = 0;
        long now;
        do {
            sink = work.get();
            ops++;
        } while ((now = System.nanoTime()) < deadline);
        return ops / ((now - start) / 1e9);
    }

    private static double quantile(List<Double> sorted, double q) {
        double position = q * (sorted.size() - 1);
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (position - low);
    }
}
