package io.tlswatch.store.organisation;

import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.tlsrpt.DomainNames;
import java.net.IDN;
import java.util.Locale;

/**
 * The domain names an organisation may register (and an alert address may be at): converted from
 * U-labels to the lower-case A-label form reports are attributed by, then held to host-name syntax.
 */
public final class DomainSyntax {

    static final int MAX_LENGTH = 253;
    static final int MAX_LABEL_LENGTH = 63;

    private DomainSyntax() {
    }

    /**
     * The canonical A-label form of {@code input}, or an {@link InvalidRequestException} on {@code field}
     * naming the first rule it breaks. One trailing dot (the root) is allowed and dropped.
     */
    public static String toALabel(String field, String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidRequestException(field, "required");
        }
        String name = input.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.startsWith(".") || name.contains("..")) {
            throw invalid(field, input, "it has an empty label");
        }
        if (name.contains("*")) {
            throw invalid(field, input, "wildcards are not allowed (a registered domain covers its subdomains)");
        }
        if (name.contains("/") || name.contains("@")) {
            throw invalid(field, input, "give the domain name alone, not a URL or an e-mail address");
        }
        if (name.startsWith("[") || name.contains(":") && name.chars().allMatch(DomainSyntax::isIpv6Char)) {
            throw invalid(field, input, "it is an IP address, not a domain name");
        }
        String aLabel = DomainNames.normalise(name);
        if (!isAscii(aLabel)) {
            throw invalid(field, input, "it is not a valid internationalised domain name");
        }
        if (aLabel.length() > MAX_LENGTH) {
            throw invalid(field, input, "it is longer than " + MAX_LENGTH + " characters");
        }
        String[] labels = aLabel.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid(field, input, "it needs at least two labels, e.g. example.com");
        }
        for (String label : labels) {
            checkLabel(field, input, label);
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(field, input, labels.length == 4 && isNumeric(labels)
                    ? "it is an IP address, not a domain name"
                    : "its last label is all digits");
        }
        return aLabel;
    }

    /** Like {@link #toALabel}, but null for anything that is not a valid name (for path lookups). */
    public static String toALabelOrNull(String input) {
        try {
            return toALabel("domain", input);
        } catch (InvalidRequestException notAName) {
            return null;
        }
    }

    private static void checkLabel(String field, String input, String label) {
        if (label.isEmpty()) {
            throw invalid(field, input, "it has an empty label");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw invalid(field, input, "label '" + label + "' is longer than " + MAX_LABEL_LENGTH + " characters");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                throw invalid(field, input, "label '" + label + "' may hold only letters, digits and hyphens");
            }
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw invalid(field, input, "label '" + label + "' starts or ends with a hyphen");
        }
        if (label.startsWith("xn--") && !isValidALabel(label)) {
            throw invalid(field, input, "label '" + label + "' is not a valid A-label (punycode)");
        }
    }

    /** An A-label must decode, and encode back to itself. */
    private static boolean isValidALabel(String label) {
        try {
            String unicode = IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
            return !unicode.equals(label)
                    && IDN.toASCII(unicode, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT).equals(label);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isNumeric(String[] labels) {
        for (String label : labels) {
            if (label.isEmpty() || !label.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Char(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static InvalidRequestException invalid(String field, String input, String why) {
        return new InvalidRequestException(field, "'" + abbreviate(input.strip()) + "' is not a valid domain name: " + why);
    }

    /** Echoes at most 100 characters of what the client sent. */
    static String abbreviate(String input) {
        return input.length() <= 100 ? input : input.substring(0, 100) + "…";
    }
}
