package io.tlswatch.system;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import io.tlswatch.tlsrpt.Samples;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;

/** Reports the tests make up, for domains of their own, and the mail that carries one (RFC 8460 §5.3). */
final class TestReports {

    private TestReports() {
    }

    static String uniqueId() {
        return UUID.randomUUID().toString();
    }

    /** One STS policy for {@code domain} with {@code failed} certificate-expired sessions (0: all success). */
    static byte[] report(String organisation, String reportId, String domain, int failed) {
        String details = failed == 0 ? "[]" : """
                [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.10",
                  "receiving-mx-hostname": "mx1.%s", "receiving-ip": "198.51.100.20", "failed-session-count": %d}]"""
                .formatted(domain, failed);
        return """
                {"organization-name": "%s",
                 "date-range": {"start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z"},
                 "contact-info": "tlsrpt@%s",
                 "report-id": "%s",
                 "policies": [{
                   "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.%s", "max_age: 86400"],
                              "policy-domain": "%s", "mx-host": ["mx1.%s"]},
                   "summary": {"total-successful-session-count": 40, "total-failure-session-count": %d},
                   "failure-details": %s}]}
                """.formatted(organisation, organisation.toLowerCase().replace(' ', '-') + ".example", reportId,
                domain, domain, domain, failed, details).getBytes(StandardCharsets.UTF_8);
    }

    /** The report gzipped in a multipart/report mail, as Google and Microsoft send them. */
    static byte[] mail(byte[] reportJson, String domain, String reportId) {
        try {
            Session session = Session.getInstance(new Properties());
            MimeMessage message = new MimeMessage(session);
            message.setFrom("noreply-smtp-tls-reporting@sender.example");
            message.setRecipients(jakarta.mail.Message.RecipientType.TO, "tlsrpt@tlsrpt.system.test");
            message.setSubject("Report Domain: " + domain + " Submitter: sender.example Report-ID: <" + reportId + ">");
            message.setHeader("TLS-Report-Domain", domain);
            message.setHeader("TLS-Report-Submitter", "sender.example");
            MimeMultipart report = new MimeMultipart("report; report-type=tlsrpt");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("This is an aggregate TLS report from sender.example");
            report.addBodyPart(text);
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new DataHandler(
                    new ByteArrayDataSource(Samples.gzip(reportJson), "application/tlsrpt+gzip")));
            attachment.setFileName("sender.example!" + domain + "!1793491200!1793577599!001.json.gz");
            attachment.setHeader("Content-Type", "application/tlsrpt+gzip");
            report.addBodyPart(attachment);
            message.setContent(report);
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
