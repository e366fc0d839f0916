package io.tlswatch.tlsrpt.hints;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What each RFC 8460 result type (§4.3) means to a mail administrator, and its likely cause. Plain Java
 * with no Quarkus in it, so that the dashboard can show the same words. Texts take the domain whose
 * MTA-STS policy or MX is meant; callers pass it already cleaned of control characters.
 */
public final class LikelyCauses {

    /**
     * @param resultType  the result type as reported
     * @param known       whether it is one RFC 8460 registers
     * @param meaning     what failed, in a mail administrator's words
     * @param likelyCause what usually causes it, and what to do
     */
    public record Explanation(String resultType, boolean known, String meaning, String likelyCause) {
    }

    private record Text(String meaning, String cause) {
    }

    private static final String POLICY_URL = "https://mta-sts.%1$s/.well-known/mta-sts.txt";

    private static final Map<String, Text> TEXTS = Map.ofEntries(
            Map.entry("starttls-not-supported", new Text(
                    "The receiving MX did not offer STARTTLS, so the sender could not encrypt the connection.",
                    "The MX host does not advertise STARTTLS on port 25, or a firewall, load balancer or filtering "
                            + "appliance in front of it removes it. Check that every MX host of %1$s offers STARTTLS "
                            + "with a valid certificate.")),
            Map.entry("certificate-host-mismatch", new Text(
                    "The MX certificate does not name the MX host the sender connected to.",
                    "The certificate the MX host presents does not list its host name, which often happens after "
                            + "an MX change or when a shared or default certificate is served. Install a certificate "
                            + "that names every MX host of %1$s.")),
            Map.entry("certificate-expired", new Text(
                    "The MX certificate has expired.",
                    "The MX certificate has expired: renew it, and check that automatic renewal also reloads the "
                            + "mail server.")),
            Map.entry("certificate-not-trusted", new Text(
                    "The MX certificate is not issued by an authority the sender trusts.",
                    "The certificate is self-signed or from a private CA, or the server does not send its "
                            + "intermediate certificates. Serve the full chain of a publicly trusted certificate.")),
            Map.entry("validation-failure", new Text(
                    "The MX certificate could not be validated, for a reason other than the ones above.",
                    "The certificate chain failed validation (for example a bad signature, key usage or chain "
                            + "length); the reporter's failure-reason-code in the report says why. Check the full "
                            + "chain the MX host serves.")),
            Map.entry("tlsa-invalid", new Text(
                    "DANE: the TLSA records of the MX host do not match the certificate it presented.",
                    "The TLSA records at _25._tcp.<MX host> no longer match the certificate or key, usually after "
                            + "a certificate rotation whose new TLSA record was not published first. Publish a TLSA "
                            + "record for the new key, and keep the old one until the rollover is complete.")),
            Map.entry("dnssec-invalid", new Text(
                    "DANE: the DNSSEC signatures of the MX or TLSA records did not validate.",
                    "The DNSSEC chain of trust is broken: expired signatures, or a DS record that no longer "
                            + "matches the DNSKEY after a key rollover. Check the zone's signatures and its DS record "
                            + "at the parent.")),
            Map.entry("dane-required", new Text(
                    "DANE: the sender required DANE, but found no usable TLSA records for the MX host.",
                    "The MX host's TLSA records are missing, or its zone is not signed with DNSSEC. Publish TLSA "
                            + "records at _25._tcp.<MX host> in a DNSSEC-signed zone.")),
            Map.entry("sts-policy-fetch-error", new Text(
                    "MTA-STS: the sender could not fetch the domain's policy.",
                    "The policy at " + POLICY_URL + " could not be fetched. Check that mta-sts.%1$s resolves, "
                            + "serves HTTPS with a valid certificate, and answers 200 with the policy (no redirect).")),
            Map.entry("sts-policy-invalid", new Text(
                    "MTA-STS: the domain's policy was fetched but is not valid.",
                    "The policy at " + POLICY_URL + " is malformed: it needs version: STSv1, a mode, at least one "
                            + "mx: line and max_age, served as text/plain. Fix it, then change the id in the "
                            + "_mta-sts.%1$s TXT record so senders fetch it again.")),
            Map.entry("sts-webpki-invalid", new Text(
                    "MTA-STS: the certificate of the policy's web server is not valid.",
                    "The HTTPS certificate of mta-sts.%1$s is expired, not trusted, or does not name "
                            + "mta-sts.%1$s. Renew or replace it.")));

    private static final Text UNKNOWN = new Text(
            "The sender reported a failure type this version of TLSWatch does not know.",
            "See the report itself: the reporter's failure-reason-code and additional-information say more.");

    private LikelyCauses() {
    }

    /** The result types RFC 8460 registers, in the order of its §4.3. */
    public static final List<String> KNOWN = List.of("starttls-not-supported", "certificate-host-mismatch",
            "certificate-expired", "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
            "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");

    /** The explanation of {@code resultType} (case and surrounding space ignored) for {@code domain}. */
    public static Explanation explain(String resultType, String domain) {
        String key = resultType == null ? "" : resultType.strip().toLowerCase(Locale.ROOT);
        Text text = TEXTS.get(key);
        Text chosen = text == null ? UNKNOWN : text;
        return new Explanation(resultType, text != null, chosen.meaning().formatted(domain),
                chosen.cause().formatted(domain));
    }

    /**
     * The hint for MX hosts that match none of the MTA-STS policy's {@code mx:} patterns, or empty when
     * every host matches (or there is nothing to compare).
     */
    public static Optional<String> mxNotInPolicy(String domain, List<String> unmatchedHosts, List<String> patterns) {
        if (unmatchedHosts.isEmpty() || patterns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(("The MX host%2$s %3$s match%4$s none of the mx: patterns of the MTA-STS policy (%5$s), so "
                + "senders that enforce the policy refuse to deliver there. If your MX records changed, update the "
                + "policy file at " + POLICY_URL + " with the new mx: lines, then change its id in the "
                + "_mta-sts.%1$s TXT record so senders fetch it again.").formatted(domain,
                        unmatchedHosts.size() == 1 ? "" : "s", String.join(", ", unmatchedHosts),
                        unmatchedHosts.size() == 1 ? "es" : "", String.join(", ", patterns)));
    }
}
