package io.tlswatch.store.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tlswatch.tlsrpt.TlsReport;
import java.time.Instant;
import java.util.List;

/**
 * One stored report as the contract shows it: {@code report} is the normalised report with RFC 8460's
 * field names; {@code attributed-domains} gives, for each of its policies in order, the registered
 * domain it counts for (null: unclaimed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportView(
        @JsonProperty("id") long id,
        @JsonProperty("received-at") Instant receivedAt,
        @JsonProperty("channel") String channel,
        @JsonProperty("submitter") String submitter,
        @JsonProperty("remote-address") String remoteAddress,
        @JsonProperty("attributed-domains") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> attributedDomains,
        @JsonProperty("report") TlsReport report) {
}
