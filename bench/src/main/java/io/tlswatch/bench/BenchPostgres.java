package io.tlswatch.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL (zonky, as the tests use; no Docker here) that StoreBenchmark and
 * AlertBenchmark measure against, with the settings a run chooses, its databases created, and what a
 * run records of it: the server's version, the postmaster's pid (for {@link CpuMeter}) and, with
 * pg_stat_statements loaded, the top statements.
 */
final class BenchPostgres implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final String version;
    private final long postmasterPid;

    private BenchPostgres(EmbeddedPostgres postgres, String version, long postmasterPid) {
        this.postgres = postgres;
        this.version = version;
        this.postmasterPid = postmasterPid;
    }

    /**
     * Starts it with {@code shared_buffers} and {@code synchronous_commit} as given (and room for the WAL
     * of a bulk load), creates {@code databases}, and with {@code statementStats} loads pg_stat_statements
     * (planning time included).
     */
    static BenchPostgres start(String sharedBuffers, String synchronousCommit, boolean statementStats,
            String... databases) throws IOException, SQLException {
        RunFacts.log("starting PostgreSQL (shared_buffers " + sharedBuffers + ", synchronous_commit "
                + synchronousCommit + ")");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("shared_buffers", sharedBuffers)
                .setServerConfig("synchronous_commit", synchronousCommit)
                .setServerConfig("max_wal_size", "4GB")
                .setPGStartupWait(Duration.ofSeconds(120));
        if (statementStats) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track_planning", "on");
        }
        EmbeddedPostgres postgres = builder.start();
        try (Connection c = connect(postgres, "postgres"); Statement s = c.createStatement()) {
            for (String database : databases) {
                s.execute("create database " + database);
            }
            if (statementStats) {
                s.execute("create extension pg_stat_statements");
            }
            try (ResultSet rows = s.executeQuery("select version(), current_setting('data_directory')")) {
                rows.next();
                long postmaster = Long.parseLong(Files.readAllLines(Path.of(rows.getString(2), "postmaster.pid"))
                        .get(0).strip());
                return new BenchPostgres(postgres, rows.getString(1).replaceAll(" on .*", ""), postmaster);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    Connection connect(String database) throws SQLException {
        return connect(postgres, database);
    }

    private static Connection connect(EmbeddedPostgres postgres, String database) throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
    }

    int port() {
        return postgres.getPort();
    }

    /** "PostgreSQL 14.x", without the build details. */
    String version() {
        return version;
    }

    long postmasterPid() {
        return postmasterPid;
    }

    /** With pg_stat_statements: forgets the statistics so far. */
    void resetStatements() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("select pg_stat_statements_reset()");
        }
    }

    /** With pg_stat_statements: the {@code limit} costliest statements since the last reset, as a text table. */
    String topStatements(String heading, int limit, int queryWidth) throws SQLException {
        StringBuilder out = new StringBuilder("=== ").append(heading).append('\n')
                .append("calls  plans  exec_ms  plan_ms  us_per_call  query\n");
        try (Connection c = connect("postgres"); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("""
                select calls, plans, round(total_exec_time::numeric, 1), round(total_plan_time::numeric, 1),
                    round((1000 * (total_exec_time + total_plan_time) / greatest(calls, 1))::numeric, 1),
                    left(regexp_replace(query, '\\s+', ' ', 'g'), %d)
                from pg_stat_statements order by total_exec_time + total_plan_time desc limit %d"""
                .formatted(queryWidth, limit))) {
            while (rows.next()) {
                out.append(String.format("%d  %d  %s  %s  %s  %s%n", rows.getLong(1), rows.getLong(2),
                        rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6)));
            }
        }
        return out.append('\n').toString();
    }

    /**
     * report-store's Flyway migrations in {@code dir} run as plain SQL, in version order, so a baseline
     * database has the service's schema; their file names.
     */
    static List<String> migrate(Connection connection, Path dir) throws IOException, SQLException {
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> version.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Integer.compare(number(version, a), number(version, b))).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no migrations in " + dir);
        }
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(Files.readString(file));
            }
            names.add(file.getFileName().toString());
        }
        return names;
    }

    private static int number(Pattern version, Path file) {
        Matcher m = version.matcher(file.getFileName().toString());
        m.matches();
        return Integer.parseInt(m.group(1));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
