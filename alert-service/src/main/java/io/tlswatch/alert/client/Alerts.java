package io.tlswatch.alert.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** report-store's alert claims and outcomes ({@code /internal/v1/alerts}): the bodies both ways. */
public final class Alerts {

    private Alerts() {
    }

    /** {@code POST /internal/v1/alerts/claims}, by the domain's id (names may be re-registered). */
    public record ClaimRequest(@JsonProperty("domain-id") long domainId) {
    }

    /**
     * A won claim: only its holder may send the domain's alert, and records the outcome with the token.
     *
     * @param attempts failed sends (and expired claims) of this alert so far: above 0 this is a retry
     */
    public record Claim(
            @JsonProperty("alert-id") long alertId,
            @JsonProperty("claim") UUID claim,
            @JsonProperty("domain") String domain,
            @JsonProperty("domain-id") long domainId,
            @JsonProperty("organisation-id") long organisationId,
            @JsonProperty("claimed-at") Instant claimedAt,
            @JsonProperty("lease-expires-at") Instant leaseExpiresAt,
            @JsonProperty("attempts") int attempts) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sent(
            @JsonProperty("claim") UUID claim,
            @JsonProperty("recipients") List<String> recipients,
            @JsonProperty("message-id") String messageId,
            @JsonProperty("failed-sessions") Long failedSessions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failed(
            @JsonProperty("claim") UUID claim,
            @JsonProperty("error") String error,
            @JsonProperty("retry-at") Instant retryAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoRecipients(
            @JsonProperty("claim") UUID claim,
            @JsonProperty("failed-sessions") Long failedSessions) {
    }

    /** An alert as report-store answers an outcome. */
    public record View(
            @JsonProperty("id") long id,
            @JsonProperty("domain") String domain,
            @JsonProperty("domain-id") long domainId,
            @JsonProperty("status") String status,
            @JsonProperty("sent-at") Instant sentAt,
            @JsonProperty("suppressed-until") Instant suppressedUntil,
            @JsonProperty("attempts") int attempts,
            @JsonProperty("retry-at") Instant retryAt,
            @JsonProperty("last-error") String lastError) {
    }
}
