package io.tlswatch.tlsrpt.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.Samples;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MailExtractorTest {

    private final MailExtractor extractor = new MailExtractor();
    private final TlsRptParser parser = TlsRptParser.withDefaults();

    private ReportAttachment single(TlsRptMail mail) {
        assertThat(mail.attachments()).hasSize(1);
        return mail.attachments().get(0);
    }

    @Nested
    class RealMessages {

        @Test
        void googleMessage() {
            TlsRptMail mail = extractor.extract(Samples.read("mjl-_mox__example.eml"));
            assertThat(mail.reportDomain()).isEqualTo("test.xmox.nl");
            assertThat(mail.submitter()).isEqualTo("google.com");
            assertThat(mail.subjectReportId()).isEqualTo("2022.09.15T00.00.00Z+test.xmox.nl@google.com");
            assertThat(mail.messageId()).isEqualTo("<000000000000f47cc505e8c8905c@google.com>");
            assertThat(mail.dkimSignatures()).containsExactly(new DkimSignature("google.com", "20210112"));
            assertThat(mail.headers()).startsWith("Return-Path: <3fkskYxoKAMUyz2p0w9")
                    .contains("TLS-Report-Submitter: google.com\r\n").endsWith("report-type=tlsrpt\r\n");

            ReportAttachment attachment = single(mail);
            assertThat(attachment.contentType()).isEqualTo("application/tlsrpt+gzip");
            assertThat(attachment.fileName()).isEqualTo("google.com!test.xmox.nl!1663200000!1663286399!001.json.gz");
            assertThat(attachment.parsedFileName()).isEqualTo(new ReportFileName("google.com", "test.xmox.nl",
                    Instant.ofEpochSecond(1663200000), Instant.ofEpochSecond(1663286399), "001"));

            TlsReport report = parser.parse(attachment.payload());
            assertThat(report.organizationName()).isEqualTo("Google Inc.");
            assertThat(report.reportId()).isEqualTo("2022-09-15T00:00:00Z_test.xmox.nl");
            assertThat(report.policies().get(0).policy().mxHost()).containsExactly("komijn.test.xmox.nl");
            assertThat(report.policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(3);
            assertThat(report.totalFailureSessionCount()).isZero();
        }

        @Test
        void microsoftMessageWithFoldedSubjectAndZonelessDates() {
            TlsRptMail mail = extractor.extract(Samples.read("mjl-_mox__microsoft.eml"));
            assertThat(mail.reportDomain()).isEqualTo("test.xmox.nl");
            assertThat(mail.submitter()).isEqualTo("microsoft.com");
            assertThat(mail.subjectReportId()).isEqualTo("133198585438131172+test.xmox.nl");
            assertThat(mail.dkimSignatures()).containsExactly(new DkimSignature("microsoft.com", "selector2"));
            ReportAttachment attachment = single(mail);
            assertThat(attachment.parsedFileName().uniqueId()).isEqualTo("133198585438131172");
            assertThat(attachment.parsedFileName().begin()).isEqualTo(Instant.parse("2023-01-10T00:00:00Z"));

            TlsReport report = parser.parse(attachment.payload());
            assertThat(report.organizationName()).isEqualTo("Microsoft Corporation");
            assertThat(report.reportId()).isEqualTo("133198585438131172+test.xmox.nl");
            assertThat(report.dateRange().start()).isEqualTo(Instant.parse("2023-01-10T00:00:00Z"));
            assertThat(report.dateRange().end()).isEqualTo(Instant.parse("2023-01-10T23:59:59Z"));
            assertThat(report.policies().get(0).policy().policyDomain()).isEqualTo("test.xmox.nl");
            assertThat(report.policies().get(0).policy().mxHost()).isEmpty();
            assertThat(report.policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(2);
        }

        @Test
        void rfcExampleMessageWithLfLineEndingsAndGzipFileNameFlag() {
            TlsRptMail mail = extractor.extract(Samples.read("stalwartlabs_mail-server__tls1.eml"));
            assertThat(mail.reportDomain()).isEqualTo("example.net");
            assertThat(mail.submitter()).isEqualTo("mail.sender.example.com");
            assertThat(mail.subjectReportId()).isEqualTo("735ff.e317+bf22029@example.net");
            assertThat(mail.dkimSignatures()).isEmpty();
            ReportAttachment attachment = single(mail);
            // The file name disagrees with the header (example.com vs example.net): the body wins later.
            assertThat(attachment.parsedFileName().policyDomain()).isEqualTo("example.com");

            TlsReport report = parser.parse(attachment.payload());
            assertThat(report.organizationName()).isEqualTo("Company-X");
            assertThat(report.policies().get(0).policy().policyDomain()).isEqualTo("company-y.example");
            assertThat(report.policies().get(0).summary().totalFailureSessionCount()).isEqualTo(303);
            assertThat(report.policies().get(0).failureDetails()).hasSize(3);
        }

        @Test
        void unsuffixedMediaTypeWithPlainJson() {
            TlsRptMail mail = extractor.extract(Samples.read("stalwartlabs_mail-server__tls2.eml"));
            ReportAttachment attachment = single(mail);
            assertThat(attachment.contentType()).isEqualTo("application/tlsrpt");
            TlsReport report = parser.parse(attachment.payload());
            assertThat(report.reportId()).isEqualTo("2020-01-01T00:00:00Z_example.com");
            assertThat(report.dateRange().end()).isEqualTo(Instant.parse("2020-01-07T23:59:59Z"));
            assertThat(report.policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(23);
            assertThat(report.policies().get(0).failureDetails().get(0).resultType()).isEqualTo("certificate-host-mismatch");
        }
    }

    @Nested
    class MimeQuirks {

        private final String json = new String(Samples.read("cry-inc_dmarc-report-viewer__google.json"),
                StandardCharsets.UTF_8);
        private final String gzipBase64 = Base64.getMimeEncoder()
                .encodeToString(Samples.gzip(json.getBytes(StandardCharsets.UTF_8)));

        private String message(String extraHeaders, String body) {
            return "From: noreply@sender.example\r\n"
                    + "To: tlsrpt@example.com\r\n"
                    + "Subject: Report Domain: domain.de\r\n Submitter: google.com\r\n Report-ID: 2025-04-12_domain.de\r\n"
                    + "TLS-Report-Domain: domain.de\r\n"
                    + "TLS-Report-Submitter: google.com\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + extraHeaders
                    + "Content-Type: multipart/report; report-type=tlsrpt; boundary=\"b1\"\r\n\r\n"
                    + body;
        }

        private String part(String contentType, String headers, String content) {
            return "--b1\r\nContent-Type: " + contentType + "\r\n" + headers + "\r\n" + content + "\r\n";
        }

        private TlsRptMail extract(String message) {
            return extractor.extract(message.getBytes(StandardCharsets.UTF_8));
        }

        private String gzipPart() {
            return part("application/tlsrpt+gzip", "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=\"google.com!domain.de!1744416000!1744502399.json.gz\"\r\n",
                    gzipBase64);
        }

        @Test
        void htmlFirstPartAndFoldedSubjectWithoutAngleBrackets() {
            TlsRptMail mail = extract(message("", part("text/html; charset=utf-8", "", "<p>This is a report</p>")
                    + gzipPart() + "--b1--\r\n"));
            assertThat(mail.subjectReportId()).isEqualTo("2025-04-12_domain.de");
            assertThat(parser.parse(single(mail).payload()).reportId()).isEqualTo("2025-04-12T00:00:00Z_domain.de");
        }

        @Test
        void missingClosingBoundary() {
            TlsRptMail mail = extract(message("", part("text/plain", "", "report") + gzipPart()));
            assertThat(parser.parse(single(mail).payload()).organizationName()).isEqualTo("Google Inc.");
        }

        @Test
        void plainJsonInAPartLabelledGzip() {
            TlsRptMail mail = extract(message("", part("application/tlsrpt+gzip", "", json) + "--b1--\r\n"));
            assertThat(parser.parse(single(mail).payload()).reportId()).isEqualTo("2025-04-12T00:00:00Z_domain.de");
        }

        @Test
        void trailingBytesAfterTheGzipStream() {
            byte[] gzip = Samples.gzip(json.getBytes(StandardCharsets.UTF_8));
            byte[] withTrailer = java.util.Arrays.copyOf(gzip, gzip.length + 7);
            System.arraycopy("garbage".getBytes(StandardCharsets.US_ASCII), 0, withTrailer, gzip.length, 7);
            TlsRptMail mail = extract(message("", part("application/tlsrpt+gzip", "Content-Transfer-Encoding: base64\r\n",
                    Base64.getMimeEncoder().encodeToString(withTrailer)) + "--b1--\r\n"));
            assertThat(parser.parse(single(mail).payload()).organizationName()).isEqualTo("Google Inc.");
        }

        @Test
        void reportAttachedAsOctetStreamIsFoundByItsFileName() {
            TlsRptMail mail = extract(message("", part("application/octet-stream",
                    "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"report.json.gz\"\r\n",
                    gzipBase64) + "--b1--\r\n"));
            assertThat(single(mail).fileName()).isEqualTo("report.json.gz");
            assertThat(single(mail).parsedFileName()).isNull();
        }

        @Test
        void mboxExportWithFromLineAndStatusHeader() {
            TlsRptMail mail = extract("From noreply@sender.example Thu Jan  1 00:00:00 2025\r\n"
                    + message("Status: RO\r\nX-Status: A\r\n", gzipPart() + "--b1--\r\n"));
            assertThat(mail.submitter()).isEqualTo("google.com");
            assertThat(mail.headers()).startsWith("From: noreply@sender.example\r\n");
            assertThat(parser.parse(single(mail).payload()).organizationName()).isEqualTo("Google Inc.");
        }

        @Test
        void twoReportsInOneMessageAreBothFoundInOrder() {
            TlsRptMail mail = extract(message("", gzipPart()
                    + part("application/tlsrpt+json", "", json.replace("Google Inc.", "Second")) + "--b1--\r\n"));
            assertThat(mail.attachments()).hasSize(2);
            assertThat(mail.attachments().stream().map(a -> parser.parse(a.payload()).organizationName()))
                    .containsExactly("Google Inc.", "Second");
        }

        @Test
        void reportInsideAForwardedMessage() {
            String inner = message("", gzipPart() + "--b1--\r\n");
            String outer = "From: admin@example.com\r\nSubject: Fwd: report\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                    + "--outer\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                    + "--outer\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--outer--\r\n";
            TlsRptMail mail = extract(outer);
            assertThat(parser.parse(single(mail).payload()).organizationName()).isEqualTo("Google Inc.");
        }

        @Test
        void singlePartMessageThatIsTheReport() {
            String message = "From: a@sender.example\r\nMIME-Version: 1.0\r\nContent-Type: application/tlsrpt+json\r\n\r\n" + json;
            assertThat(parser.parse(single(extract(message)).payload()).organizationName()).isEqualTo("Google Inc.");
        }

        @Test
        void messageWithoutAReportHasNoAttachments() {
            TlsRptMail mail = extract(message("", part("text/plain", "", "hello") + part("image/png",
                    "Content-Disposition: attachment; filename=\"logo.png\"\r\n", "xx") + "--b1--\r\n"));
            assertThat(mail.attachments()).isEmpty();
            assertThat(mail.reportDomain()).isEqualTo("domain.de");
        }

        @Test
        void anInvalidReportBesideAValidOneIsStillExtractedForTheParserToJudge() {
            TlsRptMail mail = extract(message("", gzipPart() + part("application/tlsrpt+json", "", "{\"policies\":[]}")
                    + "--b1--\r\n"));
            List<ReportAttachment> attachments = mail.attachments();
            assertThat(attachments).hasSize(2);
            assertThat(parser.parse(attachments.get(0).payload()).organizationName()).isEqualTo("Google Inc.");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(attachments.get(1).payload()))
                    .isInstanceOf(InvalidReportException.class).hasMessageContaining("organization-name: missing");
        }
    }

    @Test
    void subjectReportIdForms() {
        assertThat(MailExtractor.reportIdFromSubject("Report Domain: a Submitter: b Report-ID: <x@y>")).isEqualTo("x@y");
        assertThat(MailExtractor.reportIdFromSubject("Report Domain: a Submitter: b report-id:   123+a")).isEqualTo("123+a");
        assertThat(MailExtractor.reportIdFromSubject("TLS report for a")).isNull();
    }

    @Test
    void fileNamesThatDoNotFollowTheRecommendationAreNotParsed() {
        assertThat(ReportFileName.parse("report.json")).isEmpty();
        assertThat(ReportFileName.parse("a!b!notanumber!2.json")).isEmpty();
        assertThat(ReportFileName.parse("a!b!1!2!3!4.json")).isEmpty();
        assertThat(ReportFileName.parse("Sender.Example!Example.COM!1!2.JSON.GZ")).contains(
                new ReportFileName("sender.example", "example.com", Instant.ofEpochSecond(1), Instant.ofEpochSecond(2), null));
    }

    @Test
    void dkimTagsAreReadAcrossFoldingWhitespace() {
        assertThat(DkimSignature.fromHeaderValue("v=1; a=rsa-sha256; d=Google.com;\r\n s= 2021\r\n 0112; h=to:from"))
                .isEqualTo(new DkimSignature("google.com", "20210112"));
        assertThat(DkimSignature.fromHeaderValue("garbage")).isEqualTo(new DkimSignature(null, null));
    }
}
