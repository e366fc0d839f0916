package io.tlswatch.store.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Which registered domain a policy belongs to: its policy-domain, or else the closest registered parent.
 * The names to look for, closest first; the store's statement takes the first that is registered.
 */
final class DomainAttribution {

    private DomainAttribution() {
    }

    /** {@code a.b.example} gives {@code a.b.example, b.example, example}; null gives nothing. */
    static List<String> selfAndParents(String domain) {
        List<String> names = new ArrayList<>();
        if (domain == null) {
            return names;
        }
        String name = domain;
        while (true) {
            names.add(name);
            int dot = name.indexOf('.');
            if (dot < 0) {
                return names;
            }
            name = name.substring(dot + 1);
        }
    }
}
