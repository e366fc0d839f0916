package io.tlswatch.tlsrpt.submission;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What report-ingest hands report-store ({@code POST /internal/v1/reports}): one report's payload
 * exactly as received, and where it came from. report-store parses the payload itself, so the raw
 * bytes are the single source of truth. Shared by both services so the contract cannot drift.
 *
 * @param channel       {@code https} or {@code smtp}
 * @param receivedAt    when ingest received it
 * @param remoteAddress the sender's address as ingest saw it (after trusted proxies), or null
 * @param payload       the report as received: gzip or JSON (base64 in JSON)
 * @param mail          the message's metadata when it came by mail, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportSubmission(
        @JsonProperty("channel") String channel,
        @JsonProperty("received-at") Instant receivedAt,
        @JsonProperty("remote-address") String remoteAddress,
        @JsonProperty("payload") byte[] payload,
        @JsonProperty("mail") MailMetadata mail) {

    public static final String HTTPS = "https";
    public static final String SMTP = "smtp";
}
