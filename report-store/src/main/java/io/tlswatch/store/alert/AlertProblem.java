package io.tlswatch.store.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The RFC 9457 problem of an alert conflict (409), with extension members: {@code reason} (one of
 * {@link AlertConflictException}'s constants), the domain, and the time the refusal ends.
 */
// A Response entity, which Quarkus cannot see at build time: registered so a native image serialises it.
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertProblem(
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail,
        @JsonProperty("reason") String reason,
        @JsonProperty("domain") String domain,
        @JsonProperty("suppressed-until") Instant suppressedUntil,
        @JsonProperty("in-flight-until") Instant inFlightUntil,
        @JsonProperty("retry-at") Instant retryAt,
        @JsonProperty("alert-id") Long alertId,
        @JsonProperty("alert-status") String alertStatus) {

    static AlertProblem conflict(String title, String reason, String detail, String domain) {
        return new AlertProblem("about:blank", title, 409, detail, reason, domain, null, null, null, null, null);
    }

    AlertProblem withSuppressedUntil(Instant until) {
        return new AlertProblem(type, title, status, detail, reason, domain, until, null, null, alertId, alertStatus);
    }

    AlertProblem withInFlightUntil(Instant until) {
        return new AlertProblem(type, title, status, detail, reason, domain, null, until, null, alertId, alertStatus);
    }

    AlertProblem withRetryAt(Instant at) {
        return new AlertProblem(type, title, status, detail, reason, domain, null, null, at, alertId, alertStatus);
    }

    AlertProblem withAlert(long id, String currentStatus) {
        return new AlertProblem(type, title, status, detail, reason, domain, suppressedUntil, inFlightUntil, retryAt,
                id, currentStatus);
    }
}
