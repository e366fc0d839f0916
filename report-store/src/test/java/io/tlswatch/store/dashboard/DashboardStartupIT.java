package io.tlswatch.store.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service in its production profile: without a configured admin it starts all the same and
 * says how to set one; with one, that admin signs in and gets a Secure, HttpOnly, SameSite session cookie.
 */
class DashboardStartupIT {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void withoutAnAdminItStartsAndSaysHowToConfigureOne() throws Exception {
        run(Map.of(), (base, log) -> {
            assertThat(get(base + "login").statusCode()).isEqualTo(200);
            assertThat(signIn(base, "admin", "anything").headers().firstValue("Location").orElse(""))
                    .contains("/login?error");
            assertThat(Files.readString(log)).contains("No dashboard admin configured")
                    .contains("TLSWATCH_DASHBOARD_ADMIN_USER");
        });
    }

    @Test
    void theConfiguredAdminSignsInWithASecureSessionCookie() throws Exception {
        run(Map.of("TLSWATCH_DASHBOARD_ADMIN_USER", "ops", "TLSWATCH_DASHBOARD_ADMIN_PASSWORD", "a-long-admin-password"),
                (base, log) -> {
                    HttpResponse<String> response = signIn(base, "ops", "a-long-admin-password");
                    assertThat(response.statusCode()).isEqualTo(302);
                    String cookie = response.headers().allValues("Set-Cookie").stream()
                            .filter(c -> c.startsWith("tlswatch-session=")).findFirst().orElseThrow();
                    assertThat(cookie).containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly")
                            .containsIgnoringCase("SameSite=Strict");
                    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base))
                            .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.body()).contains("ops").contains("Sign out");
                });
    }

    interface Check {
        void run(String base, Path log) throws Exception;
    }

    private static void run(Map<String, String> extra, Check check) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Path log = Files.createTempFile("report-store", ".log");
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", System.getProperty("tlswatch.app.jar"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("TLSWATCH_"));
            String database = "localhost:" + postgres.getPort() + "/postgres";
            builder.environment().putAll(Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + database,
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + database,
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                    "QUARKUS_HTTP_PORT", String.valueOf(port),
                    "QUARKUS_MANAGEMENT_PORT", "0",
                    "TLSWATCH_ADMIN_TOKEN", "it-admin-token",
                    "TLSWATCH_INTERNAL_TOKEN", "it-internal-token"));
            builder.environment().putAll(extra);
            Process process = builder.start();
            try {
                String base = "http://localhost:" + port + "/";
                awaitUp(base, process, log);
                check.run(base, log);
            } finally {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static void awaitUp(String base, Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("report-store exited: %s", Files.readString(log)).isTrue();
            try {
                get(base + "login");
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("report-store did not answer within 3 minutes: " + Files.readString(log));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> signIn(String base, String user, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + user + "&j_password=" + password)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
