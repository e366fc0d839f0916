package io.tlswatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged service in its production profile refuses to start without its tokens, and says why. */
class StartupWithoutTokensIT {

    @Test
    void productionStartupFailsWithAClearMessageWhenTokensAreMissing() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Path log = Files.createTempFile("report-store", ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", System.getProperty("tlswatch.app.jar"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("TLSWATCH_"));
            String database = "localhost:" + postgres.getPort() + "/postgres";
            builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + database);
            builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + database);
            builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
            builder.environment().put("QUARKUS_HTTP_PORT", "0");
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
            Process process = builder.start();
            // Generous: on a loaded CI machine the JVM alone can take a minute to get this far.
            boolean exited = process.waitFor(180, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            assertThat(exited).as("report-store should refuse to start; its log:%n%s", Files.readString(log)).isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(log)).contains("TLSWATCH_ADMIN_TOKEN").contains("TLSWATCH_INTERNAL_TOKEN");
        }
    }
}
