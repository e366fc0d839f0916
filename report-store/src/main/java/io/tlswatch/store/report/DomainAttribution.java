package io.tlswatch.store.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which registered domain a policy belongs to: its policy-domain, or else the closest registered parent. */
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

    /** The id of the longest registered name among the domain and its parents, or null (unclaimed). */
    static Long closest(String domain, Map<String, Long> registered) {
        for (String name : selfAndParents(domain)) {
            Long id = registered.get(name);
            if (id != null) {
                return id;
            }
        }
        return null;
    }
}
