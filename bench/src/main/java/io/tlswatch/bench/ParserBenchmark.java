package io.tlswatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.tlsrpt.ParserLimits;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
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
 * <p>The large report is about 19 MB of plain JSON, more than {@link ParserLimits#DEFAULTS} accepts as a
 * payload (its {@code maxCompressedBytes}, 10 MiB, bounds plain JSON too; only gzip is measured
 * against the 100 MiB {@code maxDecompressedBytes}). So (b) uses the default limits with the payload
 * limit raised to the decompressed limit; a limit is one comparison, so the work measured is the same.
 * The {@code _largeGzip} pair measures the form senders deliver, the same report gzipped (about
 * 1.3 MB), with {@link TlsRptParser#withDefaults()} unchanged; the baseline inflates it with a
 * {@link GZIPInputStream} of the same buffer size before readTree.
 *
 * <p>Throughput (ops/s) for all, so the ratio parser/baseline reads straight off the table. Defaults
 * suit a 2-core machine: one fork, 5 x 2 s of warm-up (the parser on the typical report needs three
 * of them to reach its steady state) and 5 x 3 s measured per benchmark, about 3 minutes in all.
 * Override from the command line as usual, e.g. {@code -f 2 -wi 8 -i 10 -r 3s}. The fork gets a
 * fixed 2 GiB heap so that heap resizing is not part of either side's figure.
 *
 * <pre>java -jar bench/target/benchmarks.jar ParserBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 3, timeUnit = TimeUnit.SECONDS)
public class ParserBenchmark {

    /** The plain-JSON payload limit {@link #largeParser} uses: the default decompressed limit. */
    static final ParserLimits LARGE_PLAIN_JSON_LIMITS =
            ParserLimits.DEFAULTS.withMaxCompressedBytes(ParserLimits.DEFAULTS.maxDecompressedBytes());

    private byte[] typical;
    private byte[] large;
    private byte[] largeGzip;
    /** {@link TlsRptParser#withDefaults()}, for the typical and the gzipped report. */
    private TlsRptParser parser;
    /** For the plain large report: default limits, payload limit raised (see the class comment). */
    private TlsRptParser largeParser;
    /** The baseline's one shared mapper, default configuration. */
    private ObjectMapper mapper;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        typical = ReportGenerator.typical();
        large = ReportGenerator.large(ReportGenerator.LARGE_FAILURE_DETAILS);
        largeGzip = gzip(large);
        parser = TlsRptParser.withDefaults();
        largeParser = new TlsRptParser(LARGE_PLAIN_JSON_LIMITS);
        mapper = new ObjectMapper();

        // Both sides must read the same report in full, or the comparison means nothing.
        check("typical", tlswatchParser_typical(), jacksonReadTree_typical(), 3);
        check("large", tlswatchParser_large(), jacksonReadTree_large(), ReportGenerator.LARGE_FAILURE_DETAILS);
        check("largeGzip", tlswatchParser_largeGzip(), jacksonReadTree_largeGzip(),
                ReportGenerator.LARGE_FAILURE_DETAILS);
    }

    private static byte[] gzip(byte[] json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 8);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json);
        }
        return out.toByteArray();
    }

    private static void check(String name, TlsReport report, JsonNode tree, int expectedDetails) {
        int ours = 0;
        for (PolicyResult policy : report.policies()) {
            ours += policy.failureDetails().size();
        }
        int theirs = 0;
        for (JsonNode policy : tree.get("policies")) {
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
        return largeParser.parse(large);
    }

    @Benchmark
    public JsonNode jacksonReadTree_large() throws Exception {
        return mapper.readTree(large);
    }

    @Benchmark
    public TlsReport tlswatchParser_largeGzip() {
        return parser.parse(largeGzip);
    }

    @Benchmark
    public JsonNode jacksonReadTree_largeGzip() throws Exception {
        // The parser's own inflating stream: GZIPInputStream with an 8 KiB buffer.
        try (InputStream json = new GZIPInputStream(new ByteArrayInputStream(largeGzip), 8192)) {
            return mapper.readTree(json);
        }
    }
}
