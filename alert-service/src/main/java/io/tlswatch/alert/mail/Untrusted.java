package io.tlswatch.alert.mail;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Values that came from a report (or from whoever registered a domain) on their way into a mail. They
 * are data, never markup or headers: control characters (CR and LF above all), Unicode line and
 * paragraph separators and bidirectional overrides are replaced by spaces, runs of spaces collapsed,
 * and the length bounded. HTML escaping is left to the Qute HTML template, which escapes every value.
 */
public final class Untrusted {

    /** Longest single value shown in a mail (hostnames are at most 253; the rest is sender prose). */
    public static final int MAX_VALUE = 255;

    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private Untrusted() {
    }

    /** One line of text, safe anywhere in a mail body (and, HTML-escaped by the template, in HTML). */
    public static String text(String value) {
        return text(value, MAX_VALUE);
    }

    public static String text(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max + 1));
        boolean space = false;
        for (int i = 0; i < value.length() && out.length() <= max; ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || isUnsafe(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint(c);
        }
        if (out.length() > max) {
            int cut = max - 1;
            if (Character.isLowSurrogate(out.charAt(cut))) {
                cut--;
            }
            out.setLength(cut);
            out.append('\u2026');
        }
        return out.toString();
    }

    /** A header value: the same cleaning, so no CR or LF can ever end the header and start another. */
    public static String header(String value, int max) {
        return text(value, max);
    }

    /** An alert address fit for an SMTP envelope and the To header: a plain ASCII addr-spec, nothing else. */
    public static boolean isAddress(String value) {
        return value != null && value.length() <= 254 && ADDRESS.matcher(value).matches();
    }

    /** The addresses of {@code values} that {@link #isAddress} accepts, in order, without duplicates. */
    public static List<String> addresses(List<String> values) {
        return values.stream().filter(Untrusted::isAddress).distinct().toList();
    }

    private static boolean isUnsafe(int c) {
        return Character.isISOControl(c)                 // C0, DEL, C1 (NEL included)
                || c == 0x2028 || c == 0x2029             // line and paragraph separators
                || (c >= 0x202A && c <= 0x202E)           // bidirectional embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069)           // bidirectional isolates
                || c == 0x200E || c == 0x200F || c == 0x061C // directional marks
                || c == 0xFEFF                            // byte order mark
                || Character.getType(c) == Character.UNASSIGNED
                || Character.getType(c) == Character.SURROGATE;
    }
}
