package io.tlswatch.bench;

import io.tlswatch.system.ServiceProcess;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * report-store's internal API as report-ingest uses it ({@code ReportStoreApi}), answering at once:
 * {@code POST /internal/v1/reports} reads the submission to its end and answers 201 with a new id
 * ({@code StoreResult}), {@code GET /internal/v1/ping} 204; a wrong token gets 401, as from the real
 * store. Nothing is parsed or kept, so what IngestBenchmark measures is report-ingest's own work.
 *
 * <p>A Vert.x server with one event loop per core, the stack Quarkus serves report-ingest with, so it
 * is also the HTTP baseline: the same load against this server shows what this machine's HTTP stack
 * does at that moment.
 */
final class InstantReportStore implements AutoCloseable {

    private final Vertx vertx;
    final int port;
    private final AtomicLong submissions = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private InstantReportStore(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    static InstantReportStore start(String internalToken) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
        InstantReportStore store = new InstantReportStore(vertx, ServiceProcess.freePort());
        String authorization = "Bearer " + internalToken;
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer().requestHandler(request -> store.handle(request, authorization))
                        .listen(store.port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(cores)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return store;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Submissions answered 201 so far. */
    long submissions() {
        return submissions.get();
    }

    /** Requests refused (wrong token or path) so far. */
    long refused() {
        return refused.get();
    }

    private void handle(HttpServerRequest request, String authorization) {
        String path = request.path();
        if (request.method() == HttpMethod.GET && path.equals("/internal/v1/ping")) {
            request.response().setStatusCode(204).end();
            return;
        }
        if (request.method() != HttpMethod.POST || !path.equals("/internal/v1/reports")) {
            refused.incrementAndGet();
            request.response().setStatusCode(404).end();
            return;
        }
        if (!authorization.equals(request.getHeader("Authorization"))) {
            refused.incrementAndGet();
            request.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
                    .end("{\"status\":401}");
            return;
        }
        // Read the submission to its end without keeping it, then answer as the store does after its commit.
        request.handler(chunk -> { }).endHandler(end -> request.response().setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .end("{\"id\":" + submissions.incrementAndGet() + ",\"duplicate\":false}"));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
