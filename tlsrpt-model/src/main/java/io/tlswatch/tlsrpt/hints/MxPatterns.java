package io.tlswatch.tlsrpt.hints;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MTA-STS {@code mx:} patterns (RFC 8461 §4.1) against the MX hosts senders tried: an MX that matches
 * none of them is refused by every sender that enforces the policy. A pattern is a host name, or
 * {@code *.} followed by one, which matches exactly one more label on the left ({@code *.example.com}
 * matches {@code mx1.example.com}, not {@code example.com} nor {@code a.b.example.com}).
 */
public final class MxPatterns {

    private MxPatterns() {
    }

    /**
     * The patterns of one STS policy: its {@code mx-host} entries and the {@code mx:} lines of its
     * {@code policy-string}, normalised, without duplicates.
     */
    public static List<String> of(Collection<String> mxHost, Collection<String> policyString) {
        Set<String> patterns = new LinkedHashSet<>();
        if (mxHost != null) {
            for (String host : mxHost) {
                add(patterns, host);
            }
        }
        if (policyString != null) {
            for (String line : policyString) {
                if (line != null && line.strip().toLowerCase(Locale.ROOT).startsWith("mx:")) {
                    add(patterns, line);
                }
            }
        }
        return List.copyOf(patterns);
    }

    public static boolean matches(String host, String pattern) {
        String h = normalise(host);
        String p = normalise(pattern);
        if (h.isEmpty() || p.isEmpty()) {
            return false;
        }
        if (p.startsWith("*.")) {
            String parent = p.substring(1); // ".example.com"
            if (!h.endsWith(parent)) {
                return false;
            }
            String label = h.substring(0, h.length() - parent.length());
            return !label.isEmpty() && label.indexOf('.') < 0;
        }
        return h.equals(p);
    }

    /** The hosts that match none of the patterns, in order; empty when there are no patterns to go by. */
    public static List<String> unmatched(Collection<String> hosts, Collection<String> patterns) {
        List<String> unmatched = new ArrayList<>();
        if (patterns.isEmpty()) {
            return unmatched;
        }
        for (String host : hosts) {
            if (!normalise(host).isEmpty() && patterns.stream().noneMatch(p -> matches(host, p))
                    && !unmatched.contains(normalise(host))) {
                unmatched.add(normalise(host));
            }
        }
        return unmatched;
    }

    /** Lower case, no {@code mx:} prefix, no surrounding space, no trailing dot. */
    static String normalise(String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("mx:")) {
            v = v.substring(3).strip();
        }
        while (v.endsWith(".")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }

    private static void add(Set<String> patterns, String value) {
        String p = normalise(value);
        if (!p.isEmpty()) {
            patterns.add(p);
        }
    }
}
