package io.tlswatch.store.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * A won claim: the caller may send the domain's alert, then must record the outcome with the claim
 * token before {@code lease-expires-at}, after which another sweep may take the claim over.
 *
 * @param claim    the fencing token to present when recording the outcome
 * @param attempts failed sends (and expired claims) of this alert so far
 */
// A Response entity, which Quarkus cannot see at build time: registered so a native image serialises it.
@RegisterForReflection
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
