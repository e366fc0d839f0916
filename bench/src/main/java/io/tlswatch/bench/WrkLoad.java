package io.tlswatch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP load from wrk (the Debian package {@code wrk}) with {@code ingest-wrk.lua}: a fixed number of
 * connections, each sending its next request as soon as the last one is answered, every request the
 * next gzip report of a pool. wrk is a separate native process, so the load generator's cost is the
 * same whichever server it loads.
 */
final class WrkLoad {

    /** What one wrk run measured; latencies are wrk's, from writing the request to reading the whole response. */
    record Result(long requests, double seconds, long socketErrors, long non2xx, double meanMs, double p50Ms,
                  double p90Ms, double p99Ms, double p999Ms, double maxMs) {

        double perSecond() {
            return requests / seconds;
        }
    }

    private final Path script;
    private final Path pool;
    private final Path out;
    private final Path log;
    private final int threads;
    private final int connections;

    /** Writes the script and the pool of {@code bodies} into {@code workDir}; wrk's own output goes to {@code log}. */
    WrkLoad(Path workDir, List<byte[]> bodies, int threads, int connections, Path log) throws IOException {
        this.threads = threads;
        this.connections = connections;
        this.log = log;
        Files.createDirectories(workDir);
        this.script = workDir.resolve("ingest-wrk.lua");
        try (InputStream lua = WrkLoad.class.getResourceAsStream("ingest-wrk.lua")) {
            Files.write(script, lua.readAllBytes());
        }
        this.pool = workDir.resolve("reports.pool");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(pool))) {
            for (byte[] body : bodies) {
                file.write((body.length + "\n").getBytes(StandardCharsets.US_ASCII));
                file.write(body);
            }
        }
        this.out = workDir.resolve("wrk-result.txt");
        Files.deleteIfExists(log);
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

    /** POSTs the pool's reports to {@code url} for {@code seconds} whole seconds. */
    Result run(String url, String authorization, int seconds) throws IOException, InterruptedException {
        Files.deleteIfExists(out);
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t", Integer.toString(threads), "-c",
                Integer.toString(connections), "-d", seconds + "s", "--timeout", "10s", "--latency",
                "-s", script.toString(), url);
        Map<String, String> env = builder.environment();
        env.put("INGEST_BENCH_POOL", pool.toString());
        env.put("INGEST_BENCH_OUT", out.toString());
        if (authorization != null) {
            env.put("INGEST_BENCH_AUTH", authorization);
        }
        Process wrk = builder.redirectErrorStream(true).start();
        byte[] output = wrk.getInputStream().readAllBytes();
        int exit = wrk.waitFor();
        Files.write(log, ("$ wrk ... " + url + " (" + seconds + " s)\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
        return new Result(figures.get("requests").longValue(), figures.get("duration_us") / 1e6,
                (long) (figures.get("errors_connect") + figures.get("errors_read") + figures.get("errors_write")
                        + figures.get("errors_timeout")),
                figures.get("errors_status").longValue(), figures.get("latency_mean_us") / 1e3,
                figures.get("latency_p50_us") / 1e3, figures.get("latency_p90_us") / 1e3,
                figures.get("latency_p99_us") / 1e3, figures.get("latency_p99.9_us") / 1e3,
                figures.get("latency_max_us") / 1e3);
    }
}
