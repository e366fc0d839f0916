package io.tlswatch.tlsrpt.mail;

/** The signing domain ({@code d=}) and selector ({@code s=}) of one DKIM-Signature header. */
public record DkimSignature(String domain, String selector) {

    /** Reads the tag list of a DKIM-Signature header value (RFC 6376 §3.2); missing tags are null. */
    public static DkimSignature fromHeaderValue(String value) {
        String domain = null;
        String selector = null;
        for (String tag : value.split(";")) {
            int eq = tag.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = tag.substring(0, eq).strip();
            // Folding whitespace may appear anywhere in a tag value; it is not part of it.
            String tagValue = tag.substring(eq + 1).replaceAll("\\s+", "");
            if (name.equals("d")) {
                domain = tagValue.toLowerCase(java.util.Locale.ROOT);
            } else if (name.equals("s")) {
                selector = tagValue;
            }
        }
        return new DkimSignature(domain, selector);
    }
}
