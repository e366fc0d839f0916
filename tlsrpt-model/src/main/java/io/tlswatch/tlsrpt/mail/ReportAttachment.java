package io.tlswatch.tlsrpt.mail;

/**
 * One MIME part that holds a report, decoded from its transfer encoding but otherwise as sent (gzip
 * or JSON; {@link io.tlswatch.tlsrpt.TlsRptParser} decides which by the bytes).
 *
 * @param contentType    the part's media type, lower-case, without parameters
 * @param fileName       the part's file name, or null
 * @param parsedFileName the file name read as {@code sender!policy-domain!begin!end[!id]}, or null
 * @param payload        the decoded bytes
 */
public record ReportAttachment(String contentType, String fileName, ReportFileName parsedFileName, byte[] payload) {
}
