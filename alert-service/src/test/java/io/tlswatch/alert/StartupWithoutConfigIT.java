package io.tlswatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged service in its production profile starts only with its tokens and a mail server, and says why. */
class StartupWithoutConfigIT {

    @Test
    void productionStartupFailsWithAClearMessageWhenTokensAndTheMailHostAreMissing() throws Exception {
        Path log = Files.createTempFile("alert-service", ".log");
        Process process = start(Map.of(), log);
        // Generous: on a loaded CI machine the JVM alone can take a minute to get this far.
        boolean exited = process.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("alert-service should refuse to start; its log:%n%s", Files.readString(log)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("TLSWATCH_ADMIN_TOKEN").contains("TLSWATCH_INTERNAL_TOKEN")
                .contains("QUARKUS_MAILER_HOST");
    }

    @Test
    void productionStartsWhenTheyAreSetInTheEnvironment() throws Exception {
        Path log = Files.createTempFile("alert-service", ".log");
        Process process = start(Map.of("TLSWATCH_ADMIN_TOKEN", "a", "TLSWATCH_INTERNAL_TOKEN", "i",
                "QUARKUS_MAILER_HOST", "127.0.0.1", "QUARKUS_REST_CLIENT_REPORT_STORE_URL", "http://127.0.0.1:9"), log);
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
            while (process.isAlive() && !Files.readString(log).contains("started in") && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(log)).contains("started in").doesNotContain("cannot start");
            assertThat(process.isAlive()).isTrue();
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Process start(Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("tlswatch.app.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TLSWATCH_") || name.startsWith("QUARKUS_"));
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
        builder.environment().putAll(env);
        return builder.start();
    }
}
