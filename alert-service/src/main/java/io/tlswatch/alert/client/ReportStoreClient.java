package io.tlswatch.alert.client;

import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.alerting.AlertContext;
import io.tlswatch.tlsrpt.alerting.AlertRequests;
import io.tlswatch.tlsrpt.alerting.AlertView;
import io.tlswatch.tlsrpt.alerting.Claim;
import io.tlswatch.tlsrpt.alerting.Cursor;
import io.tlswatch.tlsrpt.alerting.FailureEventPage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * report-store as the sweep sees it. Reads, cursor moves (monotonic) and outcomes (idempotent under the
 * same claim token) are retried; a claim is not, because a claim whose answer was lost would be refused
 * as "in flight" by our own lease. Answers that are not failures of report-store (409 refusals, 404, other
 * 4xx) are neither retried nor counted against the circuit breaker; a store that keeps failing opens the
 * breaker so that a sweep gives up at once instead of waiting on every domain.
 */
@ApplicationScoped
public class ReportStoreClient {

    /** The result of a claim: won, or refused with the reason and until when. */
    public sealed interface ClaimResult {
        record Won(Claim claim) implements ClaimResult {
        }

        record Refused(String reason, Instant until) implements ClaimResult {
        }

        /** The domain is not registered any more. */
        record Gone() implements ClaimResult {
        }
    }

    private final ReportStoreApi api;

    ReportStoreClient(@RestClient ReportStoreApi api) {
        this.api = api;
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<FailureEventPage> failureEvents(long after, int limit) {
        return api.failureEvents(after, limit).onFailure().transform(ReportStoreClient::classify);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<Long> cursor(String name) {
        return api.cursor(name).map(Cursor::position).onFailure().transform(ReportStoreClient::classify);
    }

    /** Moves the shared cursor forward (report-store ignores a lower position); answers where it is now. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<Long> advanceCursor(String name, long position) {
        return api.advanceCursor(name, new Cursor.Update(position)).map(Cursor::position)
                .onFailure().transform(ReportStoreClient::classify);
    }

    /** Not retried (see the class comment); refusals and unknown domains are answers, not failures. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<ClaimResult> claim(long domainId) {
        return api.claim(AlertRequests.ClaimRequest.byId(domainId))
                .<ClaimResult>map(ClaimResult.Won::new)
                .onFailure().transform(ReportStoreClient::classify)
                .onFailure(StoreException.Conflict.class).recoverWithItem(e -> {
                    StoreException.Conflict conflict = (StoreException.Conflict) e;
                    return new ClaimResult.Refused(conflict.reason(), conflict.until());
                })
                .onFailure(StoreException.NotFound.class).recoverWithItem(new ClaimResult.Gone());
    }

    /** The domain's recipients and failure summary; empty when the domain is not registered any more. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<Optional<AlertContext>> alertContext(long domainId, Instant since, Instant until) {
        return api.alertContext(domainId, since == null ? null : since.toString(), until == null ? null : until.toString())
                .map(Optional::of)
                .onFailure().transform(ReportStoreClient::classify)
                .onFailure(StoreException.NotFound.class).recoverWithItem(Optional.empty());
    }

    /**
     * The mail server took the alert. Retried harder than the rest: the mail is out, and an alert left
     * "claimed" could be taken over and mailed again once its lease runs out.
     */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5, delay = 500, jitter = 250, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<AlertView> markSent(long alertId, UUID claim, List<String> recipients, String messageId,
            Long failedSessions) {
        return api.sent(alertId, new AlertRequests.Sent(claim.toString(), recipients, messageId, failedSessions))
                .onFailure().transform(ReportStoreClient::classify);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<AlertView> markFailed(long alertId, UUID claim, String error) {
        return api.failed(alertId, new AlertRequests.Failed(claim.toString(), error, null))
                .onFailure().transform(ReportStoreClient::classify);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = { StoreException.Refused.class,
            StoreException.NotFound.class, StoreException.Conflict.class })
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = { StoreException.Refused.class, StoreException.NotFound.class, StoreException.Conflict.class })
    public Uni<AlertView> markNoRecipients(long alertId, UUID claim, Long failedSessions) {
        return api.noRecipients(alertId, new AlertRequests.NoRecipients(claim.toString(), failedSessions))
                .onFailure().transform(ReportStoreClient::classify);
    }

    /** True when report-store answers and takes our token. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public Uni<Boolean> ping() {
        return api.ping().replaceWith(true).onFailure().recoverWithItem(false);
    }

    private static Throwable classify(Throwable failure) {
        if (failure instanceof StoreException known) {
            return known;
        }
        return new StoreException.Unavailable("report-store unreachable: " + failure.getMessage(), failure);
    }
}
