package io.tlswatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** What a benchmark run records about the machine it ran on, and its timestamped progress lines. */
final class RunFacts {

    private RunFacts() {
    }

    /** Date, JDK, OS, CPUs, memory, the commit measured (with "+uncommitted" when {@code paths} have changes). */
    static void describe(Map<String, Object> figures, String... paths) {
        figures.put("run.date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        figures.put("run.jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        figures.put("run.os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        figures.put("run.cpus", Runtime.getRuntime().availableProcessors());
        figures.put("run.cpu_model", cpuModel());
        figures.put("run.memory_gib", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        List<String> status = new ArrayList<>(List.of("status", "--porcelain", "--"));
        status.addAll(List.of(paths));
        figures.put("run.commit", git("rev-parse", "--short", "HEAD")
                + (git(status.toArray(String[]::new)).isBlank() ? "" : "+uncommitted"));
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static void log(String message) {
        System.out.println("[" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
        System.out.flush();
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
