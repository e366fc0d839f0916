package io.tlswatch.tlsrpt;

import java.util.Locale;
import java.util.Optional;

/**
 * The result types registered by RFC 8460 §6.6. The registry can grow, so reports carry the result
 * type as a string and this enum only names the ones we know how to explain.
 */
public enum ResultType {
    STARTTLS_NOT_SUPPORTED("starttls-not-supported", Category.NEGOTIATION),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch", Category.NEGOTIATION),
    CERTIFICATE_EXPIRED("certificate-expired", Category.NEGOTIATION),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted", Category.NEGOTIATION),
    VALIDATION_FAILURE("validation-failure", Category.NEGOTIATION),
    TLSA_INVALID("tlsa-invalid", Category.DANE),
    DNSSEC_INVALID("dnssec-invalid", Category.DANE),
    DANE_REQUIRED("dane-required", Category.DANE),
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error", Category.MTA_STS),
    STS_POLICY_INVALID("sts-policy-invalid", Category.MTA_STS),
    STS_WEBPKI_INVALID("sts-webpki-invalid", Category.MTA_STS);

    /** The groups of RFC 8460 §4.3: TLS negotiation, DANE policy and MTA-STS policy failures. */
    public enum Category { NEGOTIATION, DANE, MTA_STS }

    private final String wireName;
    private final Category category;

    ResultType(String wireName, Category category) {
        this.wireName = wireName;
        this.category = category;
    }

    public String wireName() {
        return wireName;
    }

    public Category category() {
        return category;
    }

    /** The known type for a result-type string as sent (case and surrounding space ignored). */
    public static Optional<ResultType> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (ResultType type : values()) {
            if (type.wireName.equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
