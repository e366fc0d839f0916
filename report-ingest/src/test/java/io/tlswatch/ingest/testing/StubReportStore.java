package io.tlswatch.ingest.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.tlswatch.tlsrpt.submission.StoreResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for report-store's internal API on a dynamic port: stores submissions in memory, once per
 * (organisation, report-id), and can be told to fail, hang or vanish. One per test JVM.
 */
public class StubReportStore implements QuarkusTestResourceLifecycleManager {

    public enum Mode { OK, ERROR_500, SLOW, ABSENT }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static HttpServer server;
    private static int port;
    private static volatile Mode mode = Mode.OK;
    private static final Map<String, Long> ids = new ConcurrentHashMap<>();
    private static final List<ReportSubmission> stored = new CopyOnWriteArrayList<>();
    private static final AtomicLong nextId = new AtomicLong(1);

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            startServer(0);
        }
        return Map.of("quarkus.rest-client.report-store.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        // lives as long as the JVM, across Quarkus restarts for other test profiles
    }

    /** What the stub does from now on; ABSENT closes its port, anything else opens it again. */
    public static synchronized void mode(Mode newMode) {
        if (newMode == Mode.ABSENT && server != null) {
            server.stop(0);
            server = null;
        } else if (newMode != Mode.ABSENT && server == null) {
            startServer(port);
        }
        mode = newMode;
    }

    /** Every submission stored (not duplicates), in order. */
    public static List<ReportSubmission> stored() {
        return List.copyOf(stored);
    }

    public static void clear() {
        stored.clear();
        ids.clear();
    }

    private static void startServer(int wantedPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", wantedPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getAddress().getPort();
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/internal/v1/reports", StubReportStore::store);
        server.createContext("/internal/v1/ping", exchange -> respond(exchange, 204, null));
        server.start();
    }

    private static void store(HttpExchange exchange) throws IOException {
        if (!"Bearer test-internal-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"status\":401}");
            return;
        }
        switch (mode) {
            case ERROR_500 -> {
                respond(exchange, 500, "{\"status\":500}");
                return;
            }
            case SLOW -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 500, "{}");
                return;
            }
            default -> {
            }
        }
        ReportSubmission submission = JSON.readValue(exchange.getRequestBody(), ReportSubmission.class);
        TlsReport report;
        try {
            report = TlsRptParser.withDefaults().parse(submission.payload());
        } catch (InvalidReportException e) {
            respond(exchange, 400, "{\"status\":400}");
            return;
        }
        String key = report.organizationName().toLowerCase() + "\n" + report.reportId();
        Long existing = ids.putIfAbsent(key, nextId.get());
        StoreResult result;
        if (existing == null) {
            stored.add(submission);
            result = new StoreResult(nextId.getAndIncrement(), false);
        } else {
            result = new StoreResult(existing, true);
        }
        respond(exchange, result.duplicate() ? 200 : 201, JSON.writeValueAsString(result));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
