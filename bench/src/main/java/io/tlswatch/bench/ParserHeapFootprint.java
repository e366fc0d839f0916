package io.tlswatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Heap used by {@link TlsRptParser#parse(byte[])} and, as the baseline, Jackson's
 * {@code ObjectMapper.readTree} on the large generated report (100,000 failure details). Target
 * (issue): peak heap under 3x the JSON size. Prints {@code name: value} lines. The parser has the default
 * limits with the plain-JSON payload limit raised to the decompressed limit, as in
 * {@link ParserBenchmark} (the report is about 19 MB, over the default 10 MiB payload limit).
 *
 * <ol>
 *   <li>{@code retained}: used heap after a GC while the result is still referenced, minus used heap
 *       after a GC before the parse. What a caller pays to hold the result.</li>
 *   <li>{@code peak}: the sum over all heap pools of their peak usage during the parse (peaks reset just
 *       before), minus used heap before. An upper bound: the pools peak at different moments, and garbage
 *       not yet collected counts, so with a roomy heap this is close to everything allocated.</li>
 *   <li>{@code allocated}: bytes the parsing thread allocated (HotSpot's per-thread counter), for
 *       comparison with JMH's {@code gc.alloc.rate.norm}.</li>
 *   <li>{@code child.*}: the parse in a fresh JVM on the same class path, reading the JSON from a file:
 *       first with {@code -Xmx} = empty-heap baseline + 3x the JSON size (the input array itself is
 *       inside that heap), then the smallest {@code -Xmx} (1 MiB steps) in which the parse completes,
 *       beside the smallest in which the JVM can merely hold the input. The difference is the heap the
 *       parse really needs beyond its input, with garbage collected as needed.</li>
 * </ol>
 *
 * <pre>java -cp bench/target/benchmarks.jar io.tlswatch.bench.ParserHeapFootprint [--no-child]</pre>
 */
public final class ParserHeapFootprint {

    private static final long MIB = 1024 * 1024;
    private static final int ROUNDS = 5;
    private static final int EXIT_OOM = 3;

    /** Default limits with the plain-JSON payload limit raised, as in {@link ParserBenchmark}. */
    private static final TlsRptParser PARSER = new TlsRptParser(ParserBenchmark.LARGE_PLAIN_JSON_LIMITS);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private enum Side {
        parser, readTree, none;

        Object parse(byte[] json) throws IOException {
            return switch (this) {
                case parser -> PARSER.parse(json);
                case readTree -> MAPPER.readTree(json);
                case none -> json;
            };
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("--child")) {
            child(args);
            return;
        }
        boolean withChild = !Arrays.asList(args).contains("--no-child");

        byte[] json = ReportGenerator.large(ReportGenerator.LARGE_FAILURE_DETAILS);
        long size = json.length;
        print("java.version", System.getProperty("java.version"));
        print("heap.max.bytes", Runtime.getRuntime().maxMemory());
        print("json.failure_details", ReportGenerator.LARGE_FAILURE_DETAILS);
        print("json.bytes", size);

        for (Side side : List.of(Side.parser, Side.readTree)) {
            for (int i = 0; i < 3; i++) {
                Reference.reachabilityFence(side.parse(json)); // load and compile before measuring
            }
            long[] retained = new long[ROUNDS];
            long[] peak = new long[ROUNDS];
            long[] allocated = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                gc();
                long before = usedHeap();
                List<MemoryPoolMXBean> pools = heapPools();
                pools.forEach(MemoryPoolMXBean::resetPeakUsage);
                long allocBefore = threadAllocatedBytes();
                Object result = side.parse(json);
                allocated[i] = threadAllocatedBytes() - allocBefore;
                long peakSum = 0;
                for (MemoryPoolMXBean pool : pools) {
                    peakSum += pool.getPeakUsage().getUsed();
                }
                peak[i] = peakSum - before;
                gc();
                retained[i] = usedHeap() - before;
                Reference.reachabilityFence(result);
            }
            report(side + ".retained", median(retained), size);
            report(side + ".peak", median(peak), size);
            if (allocated[0] >= 0) {
                report(side + ".allocated", median(allocated), size);
            }
        }

        if (withChild) {
            children(json);
        }
    }

    // --- child JVMs -------------------------------------------------------------------------------

    private static void children(byte[] json) throws Exception {
        long size = json.length;
        Path file = Files.createTempFile("tlsrpt-large-", ".json");
        try {
            Files.write(file, json);
            long baseline = emptyHeapBaseline();
            print("child.empty_heap_baseline.bytes", baseline);
            long xmx = roundUpToMib(baseline + 3 * size);
            print("child.xmx_3x_json.bytes", xmx);
            for (Side side : List.of(Side.parser, Side.readTree)) {
                print("child." + side + ".fits_3x_json", runChild(side, file, xmx) == 0);
            }
            long inputOnly = smallestXmx(Side.none, file, size);
            print("child.input_only.min_xmx.bytes", inputOnly);
            for (Side side : List.of(Side.parser, Side.readTree)) {
                long min = smallestXmx(side, file, size);
                print("child." + side + ".min_xmx.bytes", min);
                report("child." + side + ".min_xmx_beyond_input", min - inputOnly, size);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Used heap after a GC in a fresh JVM that has loaded the parser and Jackson but parsed nothing. */
    private static long emptyHeapBaseline() throws Exception {
        Process p = new ProcessBuilder(javaCommand("64m", "--child", "baseline")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("baseline child failed: " + out);
        }
        return Long.parseLong(out);
    }

    /** Binary search in 1 MiB steps for the smallest -Xmx in which the child completes. */
    private static long smallestXmx(Side side, Path file, long size) throws Exception {
        long lo = 1; // MiB; assumed to fail
        long hi = roundUpToMib(10 * size) / MIB;
        if (runChild(side, file, hi * MIB) != 0) {
            throw new IllegalStateException(side + " does not complete even with -Xmx" + hi + "m");
        }
        while (hi - lo > 1) {
            long mid = (lo + hi) / 2;
            if (runChild(side, file, mid * MIB) == 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi * MIB;
    }

    private static int runChild(Side side, Path file, long xmx) throws Exception {
        Process p = new ProcessBuilder(javaCommand(xmx / MIB + "m", "--child", side.name(), file.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("child " + side + " at -Xmx" + xmx / MIB + "m timed out");
        }
        int exit = p.exitValue();
        if (exit != 0 && exit != EXIT_OOM) {
            // Anything but success or OutOfMemoryError (a JVM that cannot even start counts as too small).
            if (xmx >= 64 * MIB) {
                throw new IllegalStateException("child " + side + " at -Xmx" + xmx / MIB + "m exited " + exit);
            }
        }
        return exit;
    }

    private static List<String> javaCommand(String xmx, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + xmx);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParserHeapFootprint.class.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** {@code --child baseline} or {@code --child parser|readTree|none FILE}; exit 3 on OutOfMemoryError. */
    private static void child(String[] args) throws Exception {
        try {
            if (args[1].equals("baseline")) {
                // Load what a parse loads, so that the baseline holds the same classes and statics.
                PARSER.parse(ReportGenerator.typical());
                MAPPER.readTree(ReportGenerator.typical());
                gc();
                System.out.println(usedHeap());
                return;
            }
            Side side = Side.valueOf(args[1]);
            byte[] json = Files.readAllBytes(Paths.get(args[2]));
            Object result = side.parse(json);
            Reference.reachabilityFence(result);
            Reference.reachabilityFence(json);
        } catch (OutOfMemoryError e) {
            System.exit(EXIT_OOM);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pools.add(pool);
            }
        }
        return pools;
    }

    private static long usedHeap() {
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            used += pool.getUsage().getUsed();
        }
        return used;
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    /** -1 when the JVM does not count allocations per thread. */
    private static long threadAllocatedBytes() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static long roundUpToMib(long bytes) {
        return (bytes + MIB - 1) / MIB * MIB;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void report(String name, long bytes, long jsonSize) {
        print(name + ".bytes", bytes);
        print(name + ".x_json", String.format(Locale.ROOT, "%.2f", (double) bytes / jsonSize));
    }

    private static void print(String name, Object value) {
        System.out.println(name + ": " + value);
    }
}
