package io.tlswatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time (user + system) used by the processes of one run, from {@code /proc}: this JVM (the load
 * generator or the JDBC baseline; wrk, a child process, through {@link #reapedChildren}), report-store's JVM, and the PostgreSQL server (the postmaster and
 * every backend and helper it started, those that ended included through the postmaster's
 * {@code cutime}/{@code cstime}). On a shared machine elapsed time also counts other people's work;
 * CPU time per report does not, so it says where a report's cost goes even when the load varies.
 * Linux only; elsewhere every reading is zero.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux architecture in use

    private final long benchPid = ProcessHandle.current().pid();
    private final long servicePid;
    private final long postmasterPid;

    CpuMeter(long servicePid, long postmasterPid) {
        this.servicePid = servicePid;
        this.postmasterPid = postmasterPid;
    }

    /** CPU seconds so far, by part: bench, service, postgresql. */
    Map<String, Double> read() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("bench", own(benchPid) / TICKS_PER_SECOND);
        seconds.put("service", own(servicePid) / TICKS_PER_SECOND);
        long postgres = ownAndReaped(postmasterPid);
        postgres += ProcessHandle.of(postmasterPid).stream().flatMap(ProcessHandle::descendants)
                .mapToLong(p -> own(p.pid())).sum();
        seconds.put("postgresql", postgres / TICKS_PER_SECOND);
        return seconds;
    }

    /**
     * CPU seconds so far of this JVM's child processes that have ended and been waited for: wrk, after
     * each of its runs (a separate process, so its cost is not in this JVM's own). Services and
     * PostgreSQL started by this JVM count only once they have ended.
     */
    static double reapedChildren() {
        long[] f = fields(ProcessHandle.current().pid());
        return f == null ? 0 : (f[2] + f[3]) / TICKS_PER_SECOND;
    }

    /** Per-part difference {@code after - before}. */
    static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((part, value) -> delta.put(part, value - before.getOrDefault(part, 0.0)));
        return delta;
    }

    private static long own(long pid) {
        long[] f = fields(pid);
        return f == null ? 0 : f[0] + f[1];
    }

    private static long ownAndReaped(long pid) {
        long[] f = fields(pid);
        return f == null ? 0 : f[0] + f[1] + f[2] + f[3];
    }

    /** utime, stime, cutime, cstime (fields 14 to 17 of /proc/PID/stat), or null. */
    private static long[] fields(long pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // rest[0] is field 3 (state), so field n is rest[n - 3].
            return new long[] {Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[13]),
                    Long.parseLong(rest[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
