package io.tlswatch.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's memory as Linux reports it in {@code /proc/PID/status}; -1 where it cannot be read. */
public final class ProcMemory {

    private ProcMemory() {
    }

    /** Resident set size now (VmRSS), in MiB. */
    public static double rssMb(long pid) {
        return field(pid, "VmRSS:");
    }

    /** The largest resident set size so far (VmHWM, the high-water mark), in MiB. */
    public static double peakRssMb(long pid) {
        return field(pid, "VmHWM:");
    }

    private static double field(long pid, String name) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name)) {
                    // "VmRSS:	  123456 kB"
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").strip()) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
