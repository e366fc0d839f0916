package io.tlswatch.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of TLSWatch on this machine, on free ports: a fresh embedded PostgreSQL, an SMTP server for
 * the alerts, and report-store, report-ingest and alert-service as packaged ({@code quarkus-run.jar}),
 * each a separate process configured through its environment variables only. Closing it stops all of
 * them. Also the client a test or benchmark needs: the admin API, {@code POST /v1/tlsrpt}, SMTP.
 */
public final class TlsWatchSystem implements AutoCloseable {

    public static final String ADMIN_TOKEN = "system-admin-token";
    public static final String INTERNAL_TOKEN = "system-internal-token";
    /** Generous: three JVMs start at once on a loaded two-core machine. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final EmbeddedPostgres postgres;
    private final MailServer mail;
    private final ServiceProcess store;
    private final ServiceProcess ingest;
    private final ServiceProcess alert;
    private final Http http = new Http();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Child processes outlive a JVM that exits without close(): this stops them on Ctrl-C too. */
    private final Thread closeOnExit = new Thread(this::close, "tlswatch-system-close");

    private TlsWatchSystem(Builder b) throws IOException {
        Files.createDirectories(b.logDir);
        EmbeddedPostgres pg = null;
        MailServer mailServer = null;
        List<ServiceProcess> started = new ArrayList<>();
        try {
            EmbeddedPostgres.Builder pgBuilder = EmbeddedPostgres.builder().setPort(ServiceProcess.freePort())
                    .setServerConfig("max_connections", "200");
            b.postgresSettings.forEach(pgBuilder::setServerConfig);
            pg = pgBuilder.start();
            mailServer = new MailServer().start();

            Map<String, String> storeEnv = new HashMap<>(b.storeEnv);
            storeEnv.putAll(storeDatabaseEnv(pg.getPort(), "postgres"));
            storeEnv.put("TLSWATCH_ADMIN_TOKEN", ADMIN_TOKEN);
            storeEnv.put("TLSWATCH_INTERNAL_TOKEN", INTERNAL_TOKEN);
            storeEnv.put("TLSWATCH_INGEST_PUBLIC_URL", "https://tlsrpt.system.test");
            storeEnv.put("TLSWATCH_INGEST_PUBLIC_MAIL_ADDRESS", "tlsrpt@tlsrpt.system.test");
            ServiceProcess storeProcess = new ServiceProcess("report-store", b.jar("report-store"),
                    b.jvmArgs("report-store"), storeEnv, b.logDir.resolve("report-store.log"));
            started.add(storeProcess.start(START_TIMEOUT));

            Map<String, String> ingestEnv = new HashMap<>();
            ingestEnv.put("QUARKUS_REST_CLIENT_REPORT_STORE_URL", storeProcess.baseUrl());
            ingestEnv.put("TLSWATCH_INTERNAL_TOKEN", INTERNAL_TOKEN);
            ingestEnv.put("TLSWATCH_INGEST_SMTP_PORT", Integer.toString(ServiceProcess.freePort()));
            // Every sender here is 127.0.0.1: the per-client limits would measure themselves, not TLSWatch.
            ingestEnv.put("TLSWATCH_INGEST_RATE_LIMIT_REQUESTS_PER_SECOND", "1000000");
            ingestEnv.put("TLSWATCH_INGEST_RATE_LIMIT_BURST", "1000000");
            ingestEnv.put("TLSWATCH_INGEST_SMTP_MESSAGES_PER_MINUTE_PER_CLIENT", "1000000");
            ingestEnv.put("TLSWATCH_INGEST_SMTP_MAX_CONNECTIONS_PER_CLIENT", "100");
            ingestEnv.putAll(b.ingestEnv);
            ServiceProcess ingestProcess = new ServiceProcess("report-ingest", b.jar("report-ingest"),
                    b.jvmArgs("report-ingest"), ingestEnv, b.logDir.resolve("report-ingest.log"));

            Map<String, String> alertEnv = new HashMap<>();
            alertEnv.put("QUARKUS_REST_CLIENT_REPORT_STORE_URL", storeProcess.baseUrl());
            alertEnv.put("TLSWATCH_ADMIN_TOKEN", ADMIN_TOKEN);
            alertEnv.put("TLSWATCH_INTERNAL_TOKEN", INTERNAL_TOKEN);
            alertEnv.put("QUARKUS_MAILER_HOST", "127.0.0.1");
            alertEnv.put("QUARKUS_MAILER_PORT", Integer.toString(mailServer.port()));
            alertEnv.put("TLSWATCH_DASHBOARD_URL", storeProcess.baseUrl());
            alertEnv.put("TLSWATCH_ALERT_SWEEP_INTERVAL", b.sweepInterval);
            if (!b.scheduledSweeps) {
                alertEnv.put("QUARKUS_SCHEDULER_ENABLED", "false");
            }
            alertEnv.putAll(b.alertEnv);
            ServiceProcess alertProcess = new ServiceProcess("alert-service", b.jar("alert-service"),
                    b.jvmArgs("alert-service"), alertEnv, b.logDir.resolve("alert-service.log"));
            started.add(ingestProcess.start(START_TIMEOUT));
            started.add(alertProcess.start(START_TIMEOUT));
            this.postgres = pg;
            this.mail = mailServer;
            this.store = storeProcess;
            this.ingest = ingestProcess;
            this.alert = alertProcess;
            Runtime.getRuntime().addShutdownHook(closeOnExit);
        } catch (RuntimeException | IOException e) {
            started.forEach(ServiceProcess::stop);
            if (mailServer != null) {
                mailServer.stop();
            }
            if (pg != null) {
                pg.close();
            }
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * report-store's database settings for a PostgreSQL on this machine as zonky starts it (user and
     * password {@code postgres}): the JDBC URL (Flyway) and the reactive one.
     */
    public static Map<String, String> storeDatabaseEnv(int port, String database) {
        String hostPortDatabase = "127.0.0.1:" + port + "/" + database;
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + hostPortDatabase,
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + hostPortDatabase,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres");
    }

    /** The folder holding report-store/, report-ingest/, alert-service/: {@code -Dtlswatch.home}, else found from here. */
    public static Path home() {
        String configured = System.getProperty("tlswatch.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("report-store")) && Files.isDirectory(d.resolve("alert-service"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the TLSWatch checkout from " + dir + " (set -Dtlswatch.home)");
    }

    public ServiceProcess store() {
        return store;
    }

    public ServiceProcess ingest() {
        return ingest;
    }

    public ServiceProcess alert() {
        return alert;
    }

    public MailServer mail() {
        return mail;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public Http http() {
        return http;
    }

    public int ingestSmtpPort() {
        return Integer.parseInt(ingestEnvValue("TLSWATCH_INGEST_SMTP_PORT"));
    }

    private String ingestEnvValue(String key) {
        return ingest.env(key);
    }

    /** {@code POST /v1/tlsrpt} as a reporting MTA sends it. */
    public Http.Response postReport(byte[] body, String contentType) {
        return http.send("POST", ingest.baseUrl() + "/v1/tlsrpt", null, contentType, body);
    }

    /** The message, as it is, to the SMTP listener. */
    public SmtpSender.Reply mailReport(byte[] rawMessage) {
        return new SmtpSender(ingestSmtpPort()).send(rawMessage, "tlsrpt@tlsrpt.system.test");
    }

    /** An admin API call to report-store ({@code path} from {@code /api/...}). */
    public JsonNode storeApi(String method, String path, Object body, int... expected) {
        return http.json(method, store.baseUrl() + path, ADMIN_TOKEN, body, expected);
    }

    /**
     * {@code POST /api/v1/sweeps} on alert-service: what the sweep did. A 503 says report-store could not
     * be read, with a Retry-After; after an outage alert-service's circuit breaker may still be open for a
     * few seconds though report-store is back, so a 503 is asked again, for up to a minute.
     */
    public JsonNode sweep() {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            Http.Response answer = http.send("POST", alert.baseUrl() + "/api/v1/sweeps", ADMIN_TOKEN, null, null);
            if (answer.status() == 200) {
                return answer.json();
            }
            if (answer.status() != 503 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST /api/v1/sweeps answered " + answer.status() + ": " + answer.body());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the sweep was unavailable", e);
            }
        }
    }

    /** Creates an organisation with its domains and alert addresses; its id. */
    public long register(String organisation, List<String> domains, List<String> recipients) {
        long id = storeApi("POST", "/api/v1/organisations", Map.of("name", organisation), 201).path("id").asLong();
        for (String domain : domains) {
            storeApi("POST", "/api/v1/organisations/" + id + "/domains", Map.of("name", domain), 201);
        }
        for (String address : recipients) {
            storeApi("POST", "/api/v1/organisations/" + id + "/alert-recipients", Map.of("address", address), 201);
        }
        return id;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != closeOnExit) {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        }
        alert.stop();
        ingest.stop();
        store.stop();
        mail.stop();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How to start it; the defaults suit the end-to-end tests. */
    public static final class Builder {
        private Path home = null;
        private Path logDir = Path.of("target", "system-logs");
        private String sweepInterval = "1s";
        private boolean scheduledSweeps = true;
        private List<String> jvmArgs = List.of();
        private final Map<String, List<String>> jvmArgsByService = new HashMap<>();
        private final Map<String, String> postgresSettings = new HashMap<>();
        private final Map<String, String> storeEnv = new HashMap<>();
        private final Map<String, String> ingestEnv = new HashMap<>();
        private final Map<String, String> alertEnv = new HashMap<>();

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Each service's log goes to {@code <dir>/<service>.log}. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** alert-service's {@code tlswatch.alert.sweep-interval}, e.g. {@code 1s}. */
        public Builder sweepInterval(String interval) {
            this.sweepInterval = interval;
            return this;
        }

        /** False: alert-service sweeps only on {@code POST /api/v1/sweeps}, so a test decides when. */
        public Builder scheduledSweeps(boolean scheduled) {
            this.scheduledSweeps = scheduled;
            return this;
        }

        /** JVM options for every service (e.g. {@code -Xmx256m}). */
        public Builder jvmArgs(List<String> args) {
            this.jvmArgs = List.copyOf(args);
            return this;
        }

        /** JVM options for one service, instead of the common ones. */
        public Builder jvmArgs(String service, List<String> args) {
            jvmArgsByService.put(service, List.copyOf(args));
            return this;
        }

        /** A PostgreSQL server setting ({@code postgres -c name=value}) beside zonky's own. */
        public Builder postgresSetting(String name, String value) {
            postgresSettings.put(name, value);
            return this;
        }

        public Builder storeEnv(String key, String value) {
            storeEnv.put(key, value);
            return this;
        }

        public Builder ingestEnv(String key, String value) {
            ingestEnv.put(key, value);
            return this;
        }

        public Builder alertEnv(String key, String value) {
            alertEnv.put(key, value);
            return this;
        }

        public TlsWatchSystem start() {
            try {
                return new TlsWatchSystem(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path jar(String service) {
            return (home == null ? TlsWatchSystem.home() : home).resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /**
         * The JVM options run-local.sh starts every service with ({@code run-local/jvm.options}, as a java
         * {@code @argfile}), then the ones given here, which win where they overlap (a later -Xmx wins).
         */
        List<String> jvmArgs(String service) {
            Path shipped = (home == null ? TlsWatchSystem.home() : home).resolve("run-local/jvm.options");
            List<String> args = new ArrayList<>();
            args.add("@" + shipped.toAbsolutePath());
            args.addAll(jvmArgsByService.getOrDefault(service, jvmArgs));
            return args;
        }
    }
}
