package io.tlswatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** report-store's packaged jar as a child process ({@link ServiceProcess}). */
final class ReportStoreProcess extends ServiceProcess {

    private ReportStoreProcess(Path jar, List<String> jvmArgs, Map<String, String> env, Path log) throws IOException {
        super("report-store", jar, jvmArgs, env, log);
    }

    static ReportStoreProcess start(Path jar, List<String> jvmArgs, Map<String, String> env, Path log)
            throws IOException {
        return new ReportStoreProcess(jar, jvmArgs, env, log);
    }
}
