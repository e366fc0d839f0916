package io.tlswatch.tlsrpt.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * An alert as report-store shows it: the answer to each outcome ({@code /internal/v1/alerts/{id}/...})
 * and an item of the history ({@code /api/v1/alerts}).
 *
 * @param status          claimed, sent, failed or no-recipients
 * @param claimedAt       the latest claim of this alert (a failed send is retried under the same alert)
 * @param suppressedUntil for a sent alert: the end of the domain's quiet period it started
 * @param attempts        failed sends (and expired claims) so far
 * @param retryAt         for a failed alert: no new claim before this
 * @param lastError       the last failed send's error
 */
public record AlertView(
        @JsonProperty("id") long id,
        @JsonProperty("domain") String domain,
        @JsonProperty("domain-id") long domainId,
        @JsonProperty("status") String status,
        @JsonProperty("claimed-at") Instant claimedAt,
        @JsonProperty("lease-expires-at") Instant leaseExpiresAt,
        @JsonProperty("sent-at") Instant sentAt,
        @JsonProperty("suppressed-until") Instant suppressedUntil,
        @JsonProperty("recipients") List<String> recipients,
        @JsonProperty("message-id") String messageId,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("retry-at") Instant retryAt,
        @JsonProperty("last-error") String lastError,
        @JsonProperty("failed-sessions") Long failedSessions) {
}
