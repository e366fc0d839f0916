package io.tlswatch.ingest.store;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.tlswatch.ingest.config.IngestConfig;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import io.tlswatch.tlsrpt.submission.StoreResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * report-store as the rest of ingest sees it. Storing is idempotent, so a timed-out or failed call is
 * retried; a store that keeps failing opens the circuit so senders get their 503 / 451 at once
 * instead of waiting. A report the store refuses (4xx) is the sender's problem: it is neither retried
 * nor counted against the breaker.
 */
@ApplicationScoped
public class ReportStoreClient {

    /** report-store could not take the report now; the sender should retry later. */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** report-store refused the report itself (it will refuse it again). */
    public static final class ReportRefusedException extends RuntimeException {
        public ReportRefusedException(String message) {
            super(message);
        }
    }

    private final ReportStoreApi api;
    /** {@code Bearer <tlswatch.internal-token>}, built once. */
    private final String authorization;

    ReportStoreClient(@RestClient ReportStoreApi api, IngestConfig config) {
        this.api = api;
        this.authorization = "Bearer " + config.internalToken().orElse("");
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = ReportRefusedException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = ReportRefusedException.class)
    @CircuitBreakerName("report-store")
    public Uni<StoreResult> store(ReportSubmission submission) {
        return api.store(authorization, submission).onFailure().transform(ReportStoreClient::classify);
    }

    /** True when report-store answers and takes our token. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public Uni<Boolean> ping() {
        return api.ping(authorization).replaceWith(true).onFailure().recoverWithItem(false);
    }

    private static Throwable classify(Throwable failure) {
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429) {
                return new ReportRefusedException("report-store refused the report (" + status + ")");
            }
            return new StoreUnavailableException("report-store answered " + status, failure);
        }
        return new StoreUnavailableException("report-store unreachable: " + failure.getMessage(), failure);
    }
}
