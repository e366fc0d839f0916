package io.tlswatch.store.organisation;

import io.tlswatch.tlsrpt.DomainNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * In-band alert addresses: at one of the organisation's monitored domains or below one. When TLS to
 * that domain fails under an enforced MTA-STS or DANE policy, the alert about it bounces too, so such
 * an address is accepted with a warning that recommends an out-of-band one.
 */
final class InBand {

    private InBand() {
    }

    /** The monitored domain an address is in-band for (the closest, when several are), if any. */
    static Optional<String> monitoredDomainOf(String address, Collection<String> domains) {
        String at = AddressSyntax.domainOf(address);
        return domains.stream()
                .filter(domain -> DomainNames.isSameOrSubdomain(at, domain))
                .max(Comparator.comparingInt(String::length));
    }

    /** The warnings for one address given the organisation's domains: none, or one. */
    static List<String> warnings(String address, Collection<String> domains) {
        return monitoredDomainOf(address, domains).map(domain -> List.of(warning(address, domain))).orElse(List.of());
    }

    static String warning(String address, String domain) {
        return address + " is in-band: " + domain + " is monitored, and if its TLS fails this alert may not be "
                + "delivered either. Use an out-of-band address, e.g. one at " + example(domain);
    }

    /** contoso.com suggests contoso.onmicrosoft.com: the same name at a provider outside the domain. */
    private static String example(String domain) {
        return domain.substring(0, domain.indexOf('.')) + ".onmicrosoft.com";
    }
}
