package io.tlswatch.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * What {@link IngestBenchmark} sends: gzip TLS-RPT reports of about 1 KiB, each with its own
 * report-id, and report mails carrying them as a sender mails them.
 *
 * <p>The reports are {@link ReportGenerator#largeReport} with 8 to 16 failure details: a Microsoft
 * daily report for a domain with failures (two STS policies and a TLSA one, sending IPs from a skewed
 * pool, result types weighted as seen), 2.7 to 4.2 KiB of JSON that gzips to 0.86 to 1.07 KiB. So the
 * gzip body itself is the "1 KiB" of the target, which makes each report cost more to inflate and parse
 * than a 1 KiB JSON report (0.5 KiB gzipped) would. Every {@value #IDS_PER_BODY} reports share their
 * policies and details, differing in report-id only; the rest is deterministic for the seed.
 */
final class IngestReports {

    /** The report-id {@link ReportGenerator#largeReport} writes, replaced by a distinct one per report. */
    private static final String GENERATED_ID = "\"133925885310113267+example.net\"";
    private static final int IDS_PER_BODY = 20;
    static final String RECIPIENT = "tlsrpt@reports.bench.example";
    static final String RECIPIENT_DOMAIN = "reports.bench.example";
    static final String SENDER = "tlsrpt-noreply@microsoft.com";

    private IngestReports() {
    }

    /** {@code count} gzip reports, each with a distinct report-id. */
    static List<byte[]> gzipReports(int count) {
        ReportGenerator generator = new ReportGenerator(ReportGenerator.SEED);
        List<byte[]> reports = new ArrayList<>(count);
        String json = null;
        for (int i = 0; i < count; i++) {
            if (i % IDS_PER_BODY == 0) {
                json = new String(generator.largeReport(8 + (i / IDS_PER_BODY) % 9), StandardCharsets.UTF_8);
                if (!json.contains(GENERATED_ID)) {
                    throw new IllegalStateException("ReportGenerator no longer writes report-id " + GENERATED_ID);
                }
            }
            reports.add(gzip(json.replace(GENERATED_ID, "\"" + reportId(i) + "\"").getBytes(StandardCharsets.UTF_8)));
        }
        return reports;
    }

    /**
     * A report mail in the shape Microsoft sends (RFC 8460 §5.3, like the mox sample in
     * {@code ../shared/samples/tlsrpt}): the TLS-Report headers, a DKIM signature header, a text part
     * and the gzip report as a base64 attachment named as §5.1 recommends. CRLF line ends, and ready to
     * send after DATA (dot-stuffed, ending in CRLF; the final "." is the client's).
     */
    static byte[] mail(int index, byte[] gzipReport) {
        String id = reportId(index);
        String boundary = "_" + Long.toHexString(0x5eed_0000_0000L + index) + "_";
        String message = "From: <" + SENDER + ">\r\n"
                + "To: \"" + RECIPIENT + "\" <" + RECIPIENT + ">\r\n"
                + "Date: Fri, 23 May 2025 05:09:22 +0000\r\n"
                + "Subject: Report Domain: example.net Submitter: microsoft.com Report-ID:\r\n <" + id + ">\r\n"
                + "TLS-Report-Domain: example.net\r\n"
                + "TLS-Report-Submitter: microsoft.com\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Message-ID: <" + id + "@example.net>\r\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;\r\n s=selector2;\r\n"
                + " h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck;\r\n"
                + " bh=Z6V0Gq60WfveQ5peWHeu237UjrSbJbb5WwH7R9oVmgE=;\r\n"
                + " b=Us/lkmPE/b1Nw3uwZcWd/DzyBQNqfj8DQfjMjtUf2jKUQC2GJ1CbykG19VBCZ9EEfE/UBU0tI6HvflaakEe8jo2HrB\r\n"
                + "\tdcpEG4mZIVzHw/MREW8fnSPH3pvRfPyG5bDOvD/uQ8ocEtr9JUE5Ws0pRA4iwAqYoK0Dq9CHs=\r\n"
                + "Content-Type: multipart/report;\r\n\tboundary=\"" + boundary + "\"; report-type=tlsrpt\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n"
                + "\r\n"
                + "This is an aggregate TLS report from microsoft.com\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/tlsrpt+gzip\r\n"
                + "Content-Disposition: attachment;\r\n\tfilename=\"microsoft.com!example.net!1747958400!1748044799!"
                + id + ".json.gz\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + Base64.getMimeEncoder().encodeToString(gzipReport) + "\r\n"
                + "\r\n"
                + "--" + boundary + "--\r\n";
        // Dot-stuffing (RFC 5321 §4.5.2); base64 and these headers never start a line with one, but be exact.
        return message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.US_ASCII);
    }

    private static String reportId(int index) {
        return (133_925_885_310_113_267L + index * 7_919L) + "+example.net";
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
