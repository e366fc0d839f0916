package io.tlswatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TlsRptParser#parse(byte[])} against its baseline, Jackson's {@code ObjectMapper.readTree} on
 * the same bytes, for (a) a typical 1 KiB report and (b) a generated report with 100,000 failure
 * details (see {@link ReportGenerator}). Target (issue): the parser reaches at least 0.8x the
 * baseline's throughput on both.
 *
 * <p>Throughput (ops/s) for all four, so the ratio parser/baseline reads straight off the table.
 * Defaults suit a 2-core machine (one fork, about 16 s per benchmark, about 1.5 minutes in all); override from
 * the command line as usual, e.g. {@code -f 2 -wi 5 -i 10 -r 3s}. The fork gets a fixed 2 GiB heap
 * so that heap resizing is not part of either side's figure.
 *
 * <pre>java -jar bench/target/benchmarks.jar ParserBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class ParserBenchmark {

    private byte[] typical;
    private byte[] large;
    private TlsRptParser parser;
    /** The baseline's one shared mapper, default configuration. */
    private ObjectMapper mapper;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        typical = ReportGenerator.typical();
        large = ReportGenerator.large(ReportGenerator.LARGE_FAILURE_DETAILS);
        parser = TlsRptParser.withDefaults();
        mapper = new ObjectMapper();

        // Both sides must read the same report in full, or the comparison means nothing.
        check("typical", typical, 3);
        check("large", large, ReportGenerator.LARGE_FAILURE_DETAILS);
    }

    private void check(String name, byte[] json, int expectedDetails) throws Exception {
        TlsReport report = parser.parse(json);
        int ours = 0;
        for (PolicyResult policy : report.policies()) {
            ours += policy.failureDetails().size();
        }
        int theirs = 0;
        for (JsonNode policy : mapper.readTree(json).get("policies")) {
            theirs += policy.get("failure-details").size();
        }
        if (ours != expectedDetails || theirs != expectedDetails) {
            throw new IllegalStateException(name + ": expected " + expectedDetails + " failure details, parser read "
                    + ours + ", readTree " + theirs);
        }
    }

    @Benchmark
    public TlsReport tlswatchParser_typical() {
        return parser.parse(typical);
    }

    @Benchmark
    public JsonNode jacksonReadTree_typical() throws Exception {
        return mapper.readTree(typical);
    }

    @Benchmark
    public TlsReport tlswatchParser_large() {
        return parser.parse(large);
    }

    @Benchmark
    public JsonNode jacksonReadTree_large() throws Exception {
        return mapper.readTree(large);
    }
}
