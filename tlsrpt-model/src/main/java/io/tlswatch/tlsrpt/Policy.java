package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The policy a sender evaluated. {@code policyString} holds one STS policy line or one TLSA record per
 * entry; {@code mxHost} holds MX patterns without any {@code mx: } prefix. Both are always lists (empty
 * when the sender left them out). {@code policyDomain} is lower-case A-label, or null when not sent.
 */
@JsonPropertyOrder({"policy-type", "policy-string", "policy-domain", "mx-host"})
public record Policy(
        @JsonProperty("policy-type") PolicyType policyType,
        @JsonProperty("policy-string") List<String> policyString,
        @JsonProperty("policy-domain") @JsonInclude(JsonInclude.Include.NON_NULL) String policyDomain,
        @JsonProperty("mx-host") List<String> mxHost) {

    public Policy {
        policyString = policyString == null ? List.of() : List.copyOf(policyString);
        mxHost = mxHost == null ? List.of() : List.copyOf(mxHost);
    }
}
