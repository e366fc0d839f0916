package io.tlswatch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP load from wrk (the Debian package {@code wrk}) with {@code ingest-wrk.lua}: a fixed number of
 * connections, each sending its next request as soon as the last one is answered, every request the
 * next report of a pool. wrk is a separate native process, so the load generator's cost is the
 * same whichever server it loads, and small beside the server's.
 *
 * <p>Two kinds of pool: {@link #cycling} (IngestBenchmark: a few thousand reports gone round again and
 * again, the server never told apart a repeat) and {@link #once} (SystemBenchmark: every report posted
 * at most once across all runs, a repeat being a cheap duplicate to report-store; the pool grows with
 * {@link #add} and each run starts where the last one stopped; the answers are read, and each run says
 * how many reports it took, how they were answered and which stored rows the 2xx answers named).
 */
final class WrkLoad {

    /**
     * What one wrk run measured; latencies are wrk's, from writing the request to reading the whole
     * response (with wrk's correction for requests a slow answer held back). {@code pool} is null for a
     * cycling pool.
     */
    record Result(long requests, double seconds, long socketErrors, long non2xx, double meanMs, double p50Ms,
                  double p90Ms, double p99Ms, double p999Ms, double maxMs, PoolUse pool) {

        double perSecond() {
            return requests / seconds;
        }
    }

    /**
     * What a run did with a once-through pool: reports taken (each posted once, the last ones of each
     * connection possibly cut off unanswered when the run ended), their answers, the stored row ids
     * the 2xx answers named, and whether a thread found the pool used up (its load then stopped early).
     */
    record PoolUse(long taken, long answered2xx, long answeredOther, long duplicates, long unidentified,
                   boolean exhausted, long[] acknowledgedIds) {

        /** Taken but never answered: in flight when the run ended, or lost with a broken connection. */
        long unanswered() {
            return taken - answered2xx - answeredOther;
        }
    }

    private final Path script;
    private final Path pool;
    private final Path out;
    private final Path acks;
    private final Path log;
    private final int threads;
    private final int connections;
    private final String contentType;
    private final boolean once;
    /** Once-through: the byte offset of every record in the pool file, and the first one not yet taken. */
    private long[] offsets = new long[1024];
    private int records;
    private long poolBytes;
    private int next;

    private WrkLoad(Path workDir, String poolName, String contentType, boolean once, int threads, int connections,
            Path log) throws IOException {
        this.threads = threads;
        this.connections = connections;
        this.contentType = contentType;
        this.once = once;
        this.log = log;
        Files.createDirectories(workDir);
        this.script = workDir.resolve("ingest-wrk.lua");
        try (InputStream lua = WrkLoad.class.getResourceAsStream("ingest-wrk.lua")) {
            Files.write(script, lua.readAllBytes());
        }
        this.pool = workDir.resolve(poolName + ".pool");
        Files.deleteIfExists(pool);
        Files.createFile(pool);
        this.out = workDir.resolve(poolName + "-result.txt");
        this.acks = workDir.resolve(poolName + "-acks.txt");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.deleteIfExists(log);
    }

    /** A pool of {@code bodies} gone round again and again; the script and pool are written into {@code workDir}. */
    static WrkLoad cycling(Path workDir, List<byte[]> bodies, String contentType, int threads, int connections,
            Path log) throws IOException {
        WrkLoad load = new WrkLoad(workDir, "reports", contentType, false, threads, connections, log);
        load.write(bodies);
        return load;
    }

    /** An empty pool ({@link #add} fills it) each report of which is posted at most once. */
    static WrkLoad once(Path workDir, String poolName, String contentType, int threads, int connections, Path log)
            throws IOException {
        return new WrkLoad(workDir, poolName, contentType, true, threads, connections, log);
    }

    /** Appends reports to a once-through pool, after those already in it. */
    void add(List<byte[]> bodies) throws IOException {
        if (!once) {
            throw new IllegalStateException("a cycling pool is written once");
        }
        write(bodies);
    }

    /** Reports of a once-through pool not yet taken. */
    int remaining() {
        return records - next;
    }

    /** Reports of a once-through pool taken or passed over (never to be posted) so far. */
    int used() {
        return next;
    }

    private void write(List<byte[]> bodies) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(pool, StandardOpenOption.APPEND))) {
            for (byte[] body : bodies) {
                if (records == offsets.length) {
                    offsets = Arrays.copyOf(offsets, records * 2);
                }
                offsets[records++] = poolBytes;
                byte[] length = (body.length + "\n").getBytes(StandardCharsets.US_ASCII);
                file.write(length);
                file.write(body);
                poolBytes += length.length + body.length;
            }
        }
    }

    /** Deletes the pool file (a once-through pool of a long run is hundreds of megabytes); no run after. */
    void deletePool() throws IOException {
        Files.deleteIfExists(pool);
        records = next;
    }

    /** Fails with the reason when wrk is not installed. */
    static void requireInstalled() {
        try {
            Process version = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            version.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("wrk is not installed: apt-get install -y wrk", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * POSTs the pool's reports to {@code url} for {@code seconds} whole seconds; a once-through pool
     * from its first report not yet taken.
     */
    Result run(String url, String authorization, int seconds) throws IOException, InterruptedException {
        Files.deleteIfExists(out);
        Files.deleteIfExists(acks);
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t", Integer.toString(threads), "-c",
                Integer.toString(connections), "-d", seconds + "s", "--timeout", "10s", "--latency",
                "-s", script.toString(), url);
        Map<String, String> env = builder.environment();
        env.put("INGEST_BENCH_POOL", pool.toString());
        env.put("INGEST_BENCH_OUT", out.toString());
        env.put("INGEST_BENCH_CONTENT_TYPE", contentType);
        if (authorization != null) {
            env.put("INGEST_BENCH_AUTH", authorization);
        }
        if (once) {
            env.put("INGEST_BENCH_ONCE_FROM", Long.toString(next < records ? offsets[next] : poolBytes));
            env.put("INGEST_BENCH_THREADS", Integer.toString(threads));
            env.put("INGEST_BENCH_ACKS", acks.toString());
        }
        Process wrk = builder.redirectErrorStream(true).start();
        byte[] output = wrk.getInputStream().readAllBytes();
        int exit = wrk.waitFor();
        Files.write(log, ("$ wrk ... " + url + " (" + seconds + " s" + (once ? ", from report " + next : "")
                + ")\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.write(log, output, StandardOpenOption.APPEND);
        if (exit != 0 || !Files.exists(out)) {
            throw new IllegalStateException("wrk failed (exit " + exit + "): "
                    + new String(output, StandardCharsets.UTF_8));
        }
        Map<String, Double> figures = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] parts = line.split(" ");
            figures.put(parts[0], Double.parseDouble(parts[1]));
        }
        PoolUse use = null;
        if (once) {
            long[] acknowledged = Files.readAllLines(acks).stream().mapToLong(Long::parseLong).toArray();
            use = new PoolUse(figures.get("taken").longValue(), figures.get("answered_2xx").longValue(),
                    figures.get("answered_other").longValue(), figures.get("duplicates").longValue(),
                    figures.get("unidentified").longValue(), figures.get("exhausted") > 0, acknowledged);
            next += figures.get("next_record").intValue();
        }
        return new Result(figures.get("requests").longValue(), figures.get("duration_us") / 1e6,
                (long) (figures.get("errors_connect") + figures.get("errors_read") + figures.get("errors_write")
                        + figures.get("errors_timeout")),
                figures.get("errors_status").longValue(), figures.get("latency_mean_us") / 1e3,
                figures.get("latency_p50_us") / 1e3, figures.get("latency_p90_us") / 1e3,
                figures.get("latency_p99_us") / 1e3, figures.get("latency_p99.9_us") / 1e3,
                figures.get("latency_max_us") / 1e3, use);
    }
}
