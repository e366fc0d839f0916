package io.tlswatch.tlsrpt;

import java.net.IDN;
import java.util.Locale;

/** Domain names as TLSWatch compares and stores them: lower-case A-labels without a trailing dot. */
public final class DomainNames {

    private DomainNames() {
    }

    /**
     * The canonical form of a domain name as a sender wrote it, or null for null or blank. Names that
     * IDNA refuses are kept lower-cased rather than dropped: the raw report still shows what was sent.
     */
    public static String normalise(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        while (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return null;
        }
        if (!isAscii(trimmed)) {
            try {
                trimmed = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException notIdna) {
                // keep the sender's spelling
            }
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    /** True when {@code name} equals {@code parent} or lies below it; both in canonical form. */
    public static boolean isSameOrSubdomain(String name, String parent) {
        return name.equals(parent) || name.endsWith("." + parent);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
