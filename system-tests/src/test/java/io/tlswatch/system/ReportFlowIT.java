package io.tlswatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.tlsrpt.Samples;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptJson;
import io.tlswatch.tlsrpt.TlsRptParser;
import io.tlswatch.tlsrpt.mail.MailExtractor;
import io.tlswatch.tlsrpt.mail.ReportAttachment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A report's way through all three packaged services: ingest over HTTPS and SMTP, report-store, the
 * alert mail. Sweeps run only on {@code POST /api/v1/sweeps}, so each test knows when one has happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportFlowIT {

    private TlsWatchSystem system;

    @BeforeAll
    void start() {
        system = TlsWatchSystem.builder().scheduledSweeps(false)
                .logDir(Path.of("target", "system-logs", "ReportFlowIT"))
                .jvmArgs(SystemTests.SERVICE_JVM_ARGS).start();
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void failingReportMailsEveryRecipientOnceAndTheNextWithinTheWindowIsSuppressed() throws MessagingException {
        String domain = "alerted.system.test";
        List<String> recipients = List.of("ops@oob-one.test", "oncall@oob-two.test");
        system.register("Alerted Org", List.of(domain), recipients);

        Http.Response first = system.postReport(TestReports.report("Reporter One", TestReports.uniqueId(), domain, 7),
                "application/tlsrpt+json");
        assertThat(first.status()).as(first.body()).isEqualTo(201);

        JsonNode sweep = system.sweep();
        assertThat(sweep.path("alerted").findValuesAsText("domain")).containsExactly(domain);
        for (String recipient : recipients) {
            assertThat(system.mail().inbox(recipient)).as("mails to " + recipient).hasSize(1);
            MimeMessage mail = system.mail().inbox(recipient).get(0).getMimeMessage();
            assertThat(mail.getSubject()).contains(domain);
        }
        assertThat(SystemTests.subjectsMentioning(system.mail(), domain)).hasSize(1);

        Http.Response second = system.postReport(TestReports.report("Reporter Two", TestReports.uniqueId(), domain, 3),
                "application/tlsrpt+json");
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        JsonNode again = system.sweep();
        assertThat(again.path("alerted").findValuesAsText("domain")).doesNotContain(domain);
        assertThat(again.path("suppressed").findValuesAsText("domain")).containsExactly(domain);
        for (String recipient : recipients) {
            assertThat(system.mail().inbox(recipient)).as("mails to " + recipient).hasSize(1);
        }

        JsonNode history = system.storeApi("GET", "/api/v1/alerts?domain=" + domain, null, 200);
        assertThat(history.path("total").asLong()).isEqualTo(1);
        JsonNode alert = history.path("items").get(0);
        assertThat(alert.path("status").asText()).isEqualTo("sent");
        assertThat(SystemTests.texts(alert.path("recipients"))).containsExactlyInAnyOrderElementsOf(recipients);
        assertThat(Instant.parse(alert.path("suppressed-until").asText())).isAfter(Instant.now().plusSeconds(6 * 86400));
    }

    @Test
    void theSameReportOverHttpsAndSmtpIsStoredOnce() {
        String domain = "both-channels.system.test";
        system.register("Both Channels Org", List.of(domain), List.of());
        String reportId = TestReports.uniqueId();
        byte[] report = TestReports.report("Twice Sender", reportId, domain, 0);

        Http.Response https = system.postReport(report, "application/tlsrpt+json");
        assertThat(https.status()).as(https.body()).isEqualTo(201);
        long id = https.json().path("id").asLong();

        SmtpSender.Reply smtp = system.mailReport(TestReports.mail(report, domain, reportId));
        assertThat(smtp.code()).as(smtp.text()).isEqualTo(250);

        Http.Response httpsAgain = system.postReport(Samples.gzip(report), "application/tlsrpt+gzip");
        assertThat(httpsAgain.status()).isEqualTo(200);
        assertThat(httpsAgain.json().path("duplicate").asBoolean()).isTrue();
        assertThat(httpsAgain.json().path("id").asLong()).isEqualTo(id);

        JsonNode reports = system.storeApi("GET", "/api/v1/reports?domain=" + domain, null, 200);
        assertThat(reports.path("total").asLong()).isEqualTo(1);
        assertThat(reports.path("items").get(0).path("id").asLong()).isEqualTo(id);
        assertThat(reports.path("items").get(0).path("channel").asText()).isEqualTo("https");
        assertThat(system.storeApi("GET", "/api/v1/reports/" + id, null, 200).path("report").path("report-id").asText())
                .isEqualTo(reportId);
    }

    static Stream<String> samples() {
        return Stream.of(".json", ".gz", ".eml").flatMap(suffix -> Samples.named(suffix).stream());
    }

    /**
     * Every real sample in through the channel it came by (a mail over SMTP, a report file over HTTPS),
     * then read back through {@code GET /api/v1/reports/{id}}: the report the parser reads in the file, field
     * for field; an invalid sample refused with its reason.
     */
    @ParameterizedTest
    @MethodSource("samples")
    void everySampleGoesInByItsChannelAndReadsBackAsInTheFile(String name) {
        byte[] bytes = Samples.read(name);
        boolean mail = name.endsWith(".eml");
        List<TlsReport> expected = new ArrayList<>();
        boolean duplicate;
        if (mail) {
            for (ReportAttachment attachment : new MailExtractor().extract(bytes).attachments()) {
                parse(attachment.payload(), expected);
            }
            SmtpSender.Reply reply = system.mailReport(bytes);
            assertThat(reply.code()).as(reply.text()).isEqualTo(expected.isEmpty() ? 554 : 250);
            duplicate = reply.text().contains("already stored");
        } else {
            parse(bytes, expected);
            Http.Response response = system.postReport(bytes,
                    name.endsWith(".gz") ? "application/tlsrpt+gzip" : "application/tlsrpt+json");
            if (expected.isEmpty()) {
                assertThat(response.status()).as(response.body()).isEqualTo(400);
                assertThat(response.json().path("detail").asText()).isNotBlank();
                return;
            }
            assertThat(response.status()).as(response.body()).isIn(200, 201);
            duplicate = response.status() == 200;
        }
        for (TlsReport report : expected) {
            JsonNode stored = system.storeApi("GET", "/api/v1/reports/" + storedId(report), null, 200);
            if (duplicate) {
                // The same report (organisation and report-id) came earlier, perhaps by the other channel and
                // in another sender's wording (tls1.eml wraps the RFC's example, as rfc8460.json does): the
                // first one stays.
                assertThat(stored.at("/report/report-id").asText()).isEqualTo(report.reportId());
                continue;
            }
            assertThat(stored.path("channel").asText()).isEqualTo(mail ? "smtp" : "https");
            assertThat(withoutNulls(stored.path("report"))).as(name)
                    .isEqualTo(withoutNulls(TlsRptJson.mapper().valueToTree(report)));
        }
    }

    /** A few values read by eye in the files, so the comparison above is not the parser agreeing with itself. */
    @Test
    void samplesReadBackWithTheValuesAPersonReadsInThem() {
        system.postReport(Samples.read("domainaware_parsedmarc__rfc8460.json"), "application/json");
        JsonNode rfc = report("Company-X", "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        assertThat(rfc.at("/date-range/start-datetime").asText()).isEqualTo("2016-04-01T00:00:00Z");
        JsonNode policy = rfc.at("/policies/0");
        assertThat(SystemTests.texts(policy.at("/policy/mx-host"))).containsExactly("*.mail.company-y.example");
        assertThat(policy.at("/summary/total-successful-session-count").asLong()).isEqualTo(5326);
        assertThat(policy.at("/summary/total-failure-session-count").asLong()).isEqualTo(303);
        assertThat(policy.at("/failure-details").size()).isEqualTo(3);
        assertThat(policy.at("/failure-details/1/receiving-ip").asText()).isEqualTo("203.0.113.56");
        assertThat(policy.at("/failure-details/2/failure-reason-code").asText())
                .isEqualTo("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");

        system.postReport(Samples.read("domainaware_parsedmarc__mail.ru.json"), "application/json");
        JsonNode mailRu = report("Mail.ru", "b28254de-7b2e-be36-bb5c-4c3b92da8b25@mail.ru");
        // Counts exactly as sent, although the details add up to 2.
        assertThat(mailRu.at("/policies/0/summary/total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(mailRu.at("/policies/0/failure-details/1/failure-reason-code").asText())
                .isEqualTo("bad https response code: 500");
        assertThat(mailRu.path("contact-info").asText()).isEqualTo("tls_support@corp.mail.ru");

        system.mailReport(Samples.read("mjl-_mox__microsoft.eml"));
        JsonNode microsoft = system.storeApi("GET", "/api/v1/reports/"
                + storedId("Microsoft Corporation", "133198585438131172+test.xmox.nl"), null, 200);
        // The file says 2023-01-10T00:00:00 with no zone: read as UTC.
        assertThat(microsoft.path("channel").asText()).isEqualTo("smtp");
        assertThat(microsoft.at("/report/date-range/start-datetime").asText()).isEqualTo("2023-01-10T00:00:00Z");
    }

    private JsonNode report(String organisation, String reportId) {
        return system.storeApi("GET", "/api/v1/reports/" + storedId(organisation, reportId), null, 200).path("report");
    }

    private long storedId(TlsReport report) {
        return storedId(report.organizationName(), report.reportId());
    }

    /** The stored report of this organisation and report-id, found in the report list. */
    private long storedId(String organisation, String reportId) {
        JsonNode page = system.storeApi("GET", "/api/v1/reports?size=500", null, 200);
        for (JsonNode item : page.path("items")) {
            if (item.path("organization-name").asText().equalsIgnoreCase(organisation)
                    && item.path("report-id").asText().equals(reportId)) {
                return item.path("id").asLong();
            }
        }
        throw new AssertionError("no stored report of " + organisation + " " + reportId + " in " + page);
    }

    private static void parse(byte[] payload, List<TlsReport> into) {
        try {
            into.add(TlsRptParser.withDefaults().parse(payload));
        } catch (InvalidReportException invalid) {
            // refused by ingest too
        }
    }

    /**
     * Absent and null mean the same in the API ("missing fields absent or null"); and a number is a number,
     * whichever Java type held it (so both sides are read back from their text).
     */
    private static JsonNode withoutNulls(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        try {
            return TlsRptJson.mapper().readTree(copy.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            object.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                }
            });
            object.remove(nulls);
        }
        node.forEach(ReportFlowIT::strip);
    }
}
