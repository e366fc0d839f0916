package io.tlswatch.ingest.smtp;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recipient domains the listener takes mail for ({@code tlswatch.ingest.accepted-recipient-domains}).
 * Empty accepts every recipient. A domain matches exactly, ignoring case, a trailing dot and the
 * IDN form: {@code example.com} accepts {@code tlsrpt@EXAMPLE.com} but not
 * {@code tlsrpt@mx.example.com}. Subdomains do not count because a {@code rua=mailto:} names one
 * mailbox; an operator who wants a subdomain lists it, and the listener is never a sink for every
 * name under a domain.
 */
final class AcceptedDomains {

    private final Set<String> domains;

    private AcceptedDomains(Set<String> domains) {
        this.domains = domains;
    }

    static AcceptedDomains of(Optional<List<String>> configured) {
        return new AcceptedDomains(configured.orElse(List.of()).stream()
                .map(AcceptedDomains::normalise)
                .filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }

    boolean acceptsAll() {
        return domains.isEmpty();
    }

    /** True when the address's domain is one of ours (or when every recipient is accepted). */
    boolean accepts(String address) {
        if (acceptsAll()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        int at = address.lastIndexOf('@');
        return at >= 0 && domains.contains(normalise(address.substring(at + 1)));
    }

    @Override
    public String toString() {
        return acceptsAll() ? "every recipient domain" : String.join(", ", domains.stream().sorted().toList());
    }

    private static String normalise(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notADomain) {
            return d;
        }
    }
}
