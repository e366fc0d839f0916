package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The bodies alert-service sends to claim an alert and to record its outcome. report-store checks
 * them itself (missing fields, a claim that is not a token) and answers with the fields named, so
 * the claim token is a string here rather than a UUID Jackson would refuse without saying where.
 * Absent values are left out of the JSON, not sent as null.
 */
public final class AlertRequests {

    private AlertRequests() {
    }

    /** {@code POST /internal/v1/alerts/claims}: the domain by name, or by id (names may be re-registered). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClaimRequest(
            @JsonProperty("domain") String domain,
            @JsonProperty("domain-id") Long domainId) {

        public static ClaimRequest byId(long domainId) {
            return new ClaimRequest(null, domainId);
        }
    }

    /**
     * {@code POST /internal/v1/alerts/{id}/sent}, after the mail server took the message.
     *
     * @param claim          the claim token the claim answered
     * @param recipients     the addresses the alert went to
     * @param messageId      the Message-ID of the mail, when known
     * @param failedSessions the failed sessions the alert reported, when given
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sent(
            @JsonProperty("claim") String claim,
            @JsonProperty("recipients") List<String> recipients,
            @JsonProperty("message-id") String messageId,
            @JsonProperty("failed-sessions") Long failedSessions) {
    }

    /**
     * {@code POST /internal/v1/alerts/{id}/failed}: the send failed; the claim is released.
     *
     * @param retryAt no new claim before this; absent: exponential backoff from the attempts so far
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failed(
            @JsonProperty("claim") String claim,
            @JsonProperty("error") String error,
            @JsonProperty("retry-at") Instant retryAt) {
    }

    /** {@code POST /internal/v1/alerts/{id}/no-recipients}: the organisation has no alert address. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoRecipients(
            @JsonProperty("claim") String claim,
            @JsonProperty("failed-sessions") Long failedSessions) {
    }
}
