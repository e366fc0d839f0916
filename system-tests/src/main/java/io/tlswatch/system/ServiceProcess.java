package io.tlswatch.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service's packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as a child process, configured
 * only through the environment variables an operator would set. Its ports are chosen once, free, so it
 * can be stopped and started again where the other services expect it. Output goes to a log file
 * (emptied at the first start, appended across restarts). The end-to-end tests start it through
 * {@link TlsWatchSystem}; the benchmarks in {@code bench} also start one service or two on their own.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final List<String> jvmArgs;
    private final Map<String, String> env;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private Process process;
    private boolean started;
    private Duration lastStartup;

    /**
     * Not started yet; {@code name} is the service's module (as in messages and the package command),
     * {@code env} what it is configured with besides its ports.
     */
    public ServiceProcess(String name, Path jar, List<String> jvmArgs, Map<String, String> env, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: package it first "
                    + "(./mvnw -B -pl " + name + " -am package -DskipTests)");
        }
        this.name = name;
        this.jar = jar;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.httpPort = freePort();
        this.managementPort = freePort();
        this.env = new LinkedHashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        this.env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        this.log = log;
    }

    /** Starts the process and waits until {@code /q/health/ready} answers 200. */
    public synchronized ServiceProcess start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        // Only what we set: an operator's QUARKUS_* or TLSWATCH_* in this shell must not leak into the test.
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("TLSWATCH_"));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            if (!started) {
                Files.deleteIfExists(log); // a previous run's
                started = true;
            }
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long started = System.nanoTime();
            process = builder.start();
            awaitReady(timeout);
            lastStartup = Duration.ofNanos(System.nanoTime() - started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25); // often: the benchmark reads its start-up time from here
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    /** SIGTERM (Quarkus shuts down gracefully), then SIGKILL after 30 s. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The value of one environment variable it was started with, or null. */
    public String env(String key) {
        return env.get(key);
    }

    public Path log() {
        return log;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** From process start to ready, for the last start. */
    public synchronized Duration lastStartup() {
        return lastStartup;
    }

    /** Resident set size now, in MiB, from {@code /proc} (Linux; -1 elsewhere). */
    public double rssMb() {
        return ProcMemory.rssMb(pid());
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
