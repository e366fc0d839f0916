package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;

/**
 * One kind of failed session (RFC 8460 §4.4). {@code resultType} is kept exactly as sent, so result
 * types registered after this code was written survive; {@link #knownResultType()} names the ones we
 * know. Fields a sender left out (or sent empty) are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo",
        "receiving-ip", "failed-session-count", "additional-information", "failure-reason-code"})
public record FailureDetail(
        @JsonProperty("result-type") String resultType,
        @JsonProperty("sending-mta-ip") String sendingMtaIp,
        @JsonProperty("receiving-mx-hostname") String receivingMxHostname,
        @JsonProperty("receiving-mx-helo") String receivingMxHelo,
        @JsonProperty("receiving-ip") String receivingIp,
        @JsonProperty("failed-session-count") Long failedSessionCount,
        @JsonProperty("additional-information") String additionalInformation,
        @JsonProperty("failure-reason-code") String failureReasonCode) {

    @JsonIgnore
    public Optional<ResultType> knownResultType() {
        return ResultType.fromWire(resultType);
    }
}
