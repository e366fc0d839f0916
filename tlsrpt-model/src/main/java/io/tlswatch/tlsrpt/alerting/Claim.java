package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * A won claim ({@code 201} to {@code POST /internal/v1/alerts/claims}): only its holder may send the
 * domain's alert, and must record the outcome with the claim token before {@code lease-expires-at},
 * after which another sweep may take the claim over.
 *
 * @param claim    the fencing token to present when recording the outcome
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
