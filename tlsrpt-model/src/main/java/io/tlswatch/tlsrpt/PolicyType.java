package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8460 §4.3 policy types. Unlike result types there is no registry that can grow, so a report
 * naming another policy type is malformed.
 */
public enum PolicyType {
    STS("sts"),
    TLSA("tlsa"),
    NO_POLICY_FOUND("no-policy-found");

    private final String wireName;

    PolicyType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<PolicyType> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (PolicyType type : values()) {
            if (type.wireName.equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static PolicyType fromJson(String value) {
        return fromWire(value).orElseThrow(() -> new IllegalArgumentException("unknown policy-type " + value));
    }
}
