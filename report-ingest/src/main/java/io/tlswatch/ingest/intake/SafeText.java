package io.tlswatch.ingest.intake;

/**
 * Text that came from a sender (a report's strings, a file name, a parser's message quoting them)
 * made safe for an SMTP reply or a log line (both channels log what senders wrote). subethasmtp writes a {@code RejectException}'s message
 * as it is, and splits a 250 text into lines at CR and LF: either way a CR/LF in a report could
 * forge reply lines the sending MTA would read as our answers. So every control character becomes a
 * space, anything outside printable ASCII a {@code ?} (replies are ASCII without SMTPUTF8), and the
 * text is cut to a bound that keeps the whole reply under RFC 5321's 512-octet line.
 */
public final class SafeText {

    /** Room for {@code "554 "}, an enhanced status code and CRLF within 512 octets (RFC 5321 §4.5.3.1.5). */
    public static final int MAX_REPLY = 480;

    private SafeText() {
    }

    /** {@code text} on one line of printable ASCII, at most {@code max} characters (ending in "..." when cut). */
    public static String safe(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() <= max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(' ');
            } else if (c > 0x7e) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++; // one ? per code point
                }
                out.append('?');
            } else {
                out.append(c);
            }
        }
        if (out.length() > max) {
            out.setLength(Math.max(0, max - 3));
            out.append("...");
        }
        return out.toString();
    }
}
