package io.tlswatch.ingest.smtp;

import io.tlswatch.tlsrpt.Samples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Report mails built for a test, in the shape RFC 8460 §5.3 gives them, around the shared samples. */
final class ReportMail {

    private final List<String> parts = new ArrayList<>();
    private String extraHeaders = "";

    static ReportMail message() {
        return new ReportMail();
    }

    /** A sample report with its report-id made unique, so each test stores it anew. */
    static byte[] uniqueReport(String id) {
        return new String(Samples.read("domainaware_parsedmarc__rfc8460.json"), StandardCharsets.UTF_8)
                .replace("5065427c-23d3-47ca-b6e0-946ea0e8c4be", id + "-" + System.nanoTime())
                .getBytes(StandardCharsets.UTF_8);
    }

    ReportMail header(String line) {
        extraHeaders += line + "\r\n";
        return this;
    }

    ReportMail text(String text) {
        parts.add("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n");
        return this;
    }

    /** A report part: gzip or JSON bytes, base64 as senders send them. */
    ReportMail report(String mediaType, String fileName, byte[] payload) {
        parts.add("Content-Type: " + mediaType + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(payload) + "\r\n");
        return this;
    }

    /** A report part whose headers are given as they are (for file names that need RFC 2231 encoding). */
    ReportMail rawPart(String headers, byte[] payload) {
        parts.add(headers + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(payload) + "\r\n");
        return this;
    }

    byte[] bytes() {
        StringBuilder message = new StringBuilder()
                .append("From: tlsrpt@sender.example\r\n")
                .append("To: tlsrpt@reports.example\r\n")
                .append("Subject: Report Domain: company-y.example Submitter: sender.example Report-ID: <x@sender.example>\r\n")
                .append("Message-ID: <").append(System.nanoTime()).append("@sender.example>\r\n")
                .append("TLS-Report-Domain: company-y.example\r\n")
                .append("TLS-Report-Submitter: sender.example\r\n")
                .append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.example; s=tlsrpt;\r\n")
                .append("\th=from:to:subject; bh=AAAA; b=AAAA\r\n")
                .append(extraHeaders)
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b1\"\r\n\r\n");
        for (String part : parts) {
            message.append("--b1\r\n").append(part);
        }
        message.append("--b1--\r\n");
        return message.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
