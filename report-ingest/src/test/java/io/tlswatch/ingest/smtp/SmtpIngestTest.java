package io.tlswatch.ingest.smtp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.tlswatch.ingest.smtp.SmtpTestClient.Reply;
import io.tlswatch.ingest.testing.StubReportStore;
import io.tlswatch.ingest.testing.StubReportStore.Mode;
import io.tlswatch.tlsrpt.Samples;
import io.tlswatch.tlsrpt.TlsRptParser;
import io.tlswatch.tlsrpt.mail.DkimSignature;
import io.tlswatch.tlsrpt.mail.MailExtractor;
import io.tlswatch.tlsrpt.mail.TlsRptMail;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Report mail over SMTP, with a real client against the real listener and the stub report-store. */
@QuarkusTest
class SmtpIngestTest {

    @Inject
    SmtpListener listener;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @TestHTTPResource(value = "health/live", management = true)
    URL liveness;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @BeforeEach
    void emptyStore() {
        StubReportStore.clear();
    }

    @AfterEach
    void storeBackToNormal() {
        StubReportStore.mode(Mode.OK);
        circuitBreakers.resetAll();
        StubReportStore.clear();
    }

    private SmtpTestClient session() {
        SmtpTestClient client = SmtpTestClient.connect(listener.port());
        assertThat(client.greeting().code()).isEqualTo(220);
        assertThat(client.ehlo().code()).isEqualTo(250);
        return client;
    }

    private Reply deliver(byte[] message) {
        try (SmtpTestClient client = session()) {
            return client.send(message);
        }
    }

    static List<String> emlSamples() {
        return Samples.named(".eml");
    }

    @ParameterizedTest
    @MethodSource("emlSamples")
    void everyEmlSampleSentByteForByteIsStoredWithItsMailMetadata(String name) {
        byte[] eml = Samples.read(name);
        TlsRptMail expected = new MailExtractor().extract(eml);

        Reply reply = deliver(eml);

        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        assertThat(reply.text()).matches(SmtpTestClient.STORED_ONE);
        assertThat(StubReportStore.stored()).singleElement().satisfies(stored -> {
            assertThat(stored.channel()).isEqualTo("smtp");
            assertThat(stored.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(stored.payload()).isEqualTo(expected.attachments().get(0).payload());
            assertThat(stored.mail().submitter()).isNotBlank().isEqualTo(expected.submitter());
            assertThat(stored.mail().reportDomain()).isEqualTo(expected.reportDomain());
            assertThat(stored.mail().messageId()).isEqualTo(expected.messageId());
            assertThat(stored.mail().fileName()).isEqualTo(expected.attachments().get(0).fileName());
            assertThat(stored.mail().dkimSignatures()).isEqualTo(expected.dkimSignatures());
            // The header block exactly as in the file: no Received header added, nothing re-folded.
            assertThat(stored.mail().headers()).isEqualTo(headerBlock(eml));
        });
    }

    @Test
    void aChunkedBdatDeliveryIsAnsweredAfterTheLastChunkIsStored() {
        // Exchange Online, one of the reporters, sends with CHUNKING when the server offers it.
        byte[] eml = Samples.read("mjl-_mox__microsoft.eml");
        int half = eml.length / 2;
        try (SmtpTestClient client = session()) {
            assertThat(client.command("MAIL FROM:<tlsrpt-noreply@microsoft.com>").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<" + SmtpTestClient.TO + ">").code()).isEqualTo(250);
            assertThat(client.bdat(Arrays.copyOfRange(eml, 0, half), false).code()).isEqualTo(250);
            assertThat(StubReportStore.stored()).isEmpty();
            assertThat(client.bdat(Arrays.copyOfRange(eml, half, eml.length), true).text())
                    .matches(SmtpTestClient.STORED_ONE);
        }
        assertThat(StubReportStore.stored()).singleElement()
                .satisfies(stored -> assertThat(stored.mail().headers()).isEqualTo(headerBlock(eml)));
    }

    @Test
    void googlesReportKeepsTheDkimSigningDomainAndSelector() {
        assertThat(deliver(Samples.read("mjl-_mox__example.eml")).code()).isEqualTo(250);
        ReportSubmission stored = StubReportStore.stored().get(0);
        assertThat(stored.mail().submitter()).isEqualTo("google.com");
        assertThat(stored.mail().dkimSignatures()).containsExactly(new DkimSignature("google.com", "20210112"));
        assertThat(stored.mail().headers()).contains("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n")
                .contains("TLS-Report-Submitter: google.com\r\n");
        assertThat(TlsRptParser.withDefaults().parse(stored.payload()).reportId())
                .isEqualTo("2022-09-15T00:00:00Z_test.xmox.nl");
    }

    @Test
    void aMessageWithTwoReportsStoresBoth() {
        byte[] first = ReportMail.uniqueReport("two-a");
        byte[] second = ReportMail.uniqueReport("two-b");
        Reply reply = deliver(ReportMail.message().text("Two reports")
                .report("application/tlsrpt+gzip", "a.json.gz", Samples.gzip(first))
                .report("application/tlsrpt+json", "b.json", second).bytes());

        assertThat(reply.text()).isEqualTo("250 2.0.0 stored 2 report(s)");
        assertThat(StubReportStore.stored()).extracting(ReportSubmission::payload)
                .containsExactly(Samples.gzip(first), second);
        assertThat(StubReportStore.stored()).extracting(s -> s.mail().fileName()).containsExactly("a.json.gz", "b.json");
    }

    @Test
    void aMessageWithOneInvalidReportStoresTheValidOneAndNamesTheInvalidOneIn250() {
        byte[] valid = ReportMail.uniqueReport("partial");
        Reply reply = deliver(ReportMail.message()
                .report("application/tlsrpt+json", "good.json", valid)
                .report("application/tlsrpt+json", "broken.json", "{\"policies\":[]}".getBytes(StandardCharsets.UTF_8))
                .bytes());

        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).singleElement().asString()
                .startsWith("250 2.0.0 stored 1 report(s); 1 invalid: report 2 of 2 \"broken.json\": ")
                .contains("organization-name: missing");
        assertThat(StubReportStore.stored()).extracting(ReportSubmission::payload).containsExactly(valid);
    }

    @Test
    void aMessageWithoutAReportIs554() {
        Reply reply = deliver(ReportMail.message().text("Hello, no report here").bytes());
        assertThat(reply.text()).isEqualTo("554 5.6.0 no TLS report in this message");
        assertThat(StubReportStore.stored()).isEmpty();
    }

    @Test
    void anUnreadableMessageIs554WithTheReason() {
        byte[] noBoundary = ("From: a@sender.example\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=tlsrpt\r\n\r\nthere is no boundary\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Reply reply = deliver(noBoundary);
        assertThat(reply.text()).isEqualTo("554 5.6.0 unreadable mail message: Missing start boundary");
    }

    @Test
    void onlyInvalidReportsAre554WithTheirReasons() {
        Reply reply = deliver(ReportMail.message()
                .report("application/tlsrpt+json", "rpt03.json", Samples.read("stalwartlabs_mail-auth__rpt03.json"))
                .bytes());
        assertThat(reply.code()).isEqualTo(554);
        assertThat(reply.text()).startsWith("554 5.6.0 no valid TLS report: report 1 of 1 \"rpt03.json\": ")
                .contains("total-failure-session-count: missing");
        assertThat(StubReportStore.stored()).isEmpty();
    }

    @Test
    void aRecipientOutsideTheAcceptedDomainsIs550() {
        try (SmtpTestClient client = session()) {
            assertThat(client.command("MAIL FROM:<" + SmtpTestClient.FROM + ">").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<tlsrpt@elsewhere.example>").text())
                    .startsWith("550 5.1.1 <tlsrpt@elsewhere.example>");
            // Subdomains are not included; the domain matches whatever its case or trailing dot.
            assertThat(client.command("RCPT TO:<tlsrpt@mx.reports.example>").code()).isEqualTo(550);
            assertThat(client.command("RCPT TO:<TLSRPT@Reports.Example.>").code()).isEqualTo(250);
        }
    }

    @Test
    void whenTheStoreIsAbsentTheMessageIs451AndTheResendIs250() {
        byte[] message = ReportMail.message()
                .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("absent-a"))
                .report("application/tlsrpt+json", "b.json", ReportMail.uniqueReport("absent-b")).bytes();
        StubReportStore.mode(Mode.ABSENT);
        assertThat(deliver(message).text()).isEqualTo("451 4.3.0 the report store is unavailable; try again later");
        assertThat(StubReportStore.stored()).isEmpty();

        StubReportStore.mode(Mode.OK);
        circuitBreakers.resetAll();
        assertThat(deliver(message).text()).isEqualTo("250 2.0.0 stored 2 report(s)");
        assertThat(StubReportStore.stored()).hasSize(2);
    }

    @Test
    void whenTheStoreFailsWith500TheMessageIs451AndNothingIsStored() {
        byte[] message = ReportMail.message()
                .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("store-500")).bytes();
        StubReportStore.mode(Mode.ERROR_500);
        assertThat(deliver(message).code()).isEqualTo(451);
        assertThat(StubReportStore.stored()).isEmpty();

        StubReportStore.mode(Mode.OK);
        circuitBreakers.resetAll();
        assertThat(deliver(message).code()).isEqualTo(250);
        // The same message once more: the store holds it already, and the sender still gets its 250.
        assertThat(deliver(message).text()).isEqualTo("250 2.0.0 stored 1 report(s), 1 of them already stored before");
        assertThat(StubReportStore.stored()).hasSize(1);
    }

    @Test
    void whenTheStoreHangsTheSenderGets451WithinTheStoreClientsBounds() {
        StubReportStore.mode(Mode.SLOW);
        Reply reply = deliver(ReportMail.message()
                .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("store-slow")).bytes());
        // The store client's read timeout ends each attempt; the stub would only answer (500) after 30 s.
        assertThat(reply.code()).isEqualTo(451);
        assertThat(StubReportStore.stored()).isEmpty();
    }

    @Test
    void theNullSenderAndLooseSenderSyntaxAreAccepted() {
        for (String sender : List.of("", "first.@sender.example")) {
            try (SmtpTestClient client = session()) {
                Reply reply = client.send(sender, SmtpTestClient.TO, ReportMail.message()
                        .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("sender")).bytes());
                assertThat(reply.code()).as("MAIL FROM:<%s>: %s", sender, reply).isEqualTo(250);
            }
        }
    }

    @Test
    void sizeIsAdvertisedAndStartTlsIsNotWithoutACertificate() {
        try (SmtpTestClient client = SmtpTestClient.connect(listener.port())) {
            Reply ehlo = client.ehlo();
            assertThat(ehlo.advertises("SIZE 16777216")).as(ehlo.text()).isTrue();
            assertThat(ehlo.advertises("STARTTLS")).as(ehlo.text()).isFalse();
            assertThat(client.command("STARTTLS").code()).isEqualTo(454);
        }
        assertThat(listener.startTlsOffered()).isFalse();
    }

    @Test
    void aRefusedMessageLeavesTheSessionReadyForTheNextOne() {
        try (SmtpTestClient client = session()) {
            assertThat(client.send(ReportMail.message().text("no report").bytes()).code()).isEqualTo(554);
            // No RSET: the end of DATA ended the transaction (RFC 5321 §4.1.1.4).
            Reply next = client.send(ReportMail.message()
                    .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("after-554")).bytes());
            assertThat(next.text()).matches(SmtpTestClient.STORED_ONE);
        }
    }

    static List<Arguments> hostileReports() {
        byte[] gzip = Samples.gzip(Samples.read("phi-ag_mta-sts-exporter__google.json"));
        byte[] invalidUtf8 = "{\"organization-name\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 4] = (byte) 0xc3;
        return List.of(
                Arguments.of("truncated gzip", "application/tlsrpt+gzip", Arrays.copyOf(gzip, gzip.length / 2),
                        "corrupt or truncated gzip"),
                Arguments.of("gzip bomb", "application/tlsrpt+gzip", jsonBomb(20 * 1024 * 1024), "inflates past the limit"),
                Arguments.of("200-deep nesting", "application/tlsrpt+json",
                        ("{\"x\":" + "[".repeat(200) + "]".repeat(200) + "}").getBytes(StandardCharsets.UTF_8),
                        "exceeds a parser limit: Document nesting depth"),
                Arguments.of("invalid UTF-8", "application/tlsrpt+json", invalidUtf8, "malformed JSON: Invalid UTF-8"),
                Arguments.of("non-object top level", "application/tlsrpt+json",
                        "[{\"organization-name\":\"x\"}]".getBytes(StandardCharsets.UTF_8),
                        "top level must be a JSON object, found an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileReports")
    void aHostileReportIs554WithItsReasonAndTheListenerStaysUp(String what, String mediaType, byte[] payload,
            String reason) {
        Reply reply = deliver(ReportMail.message().report(mediaType, "hostile.json", payload).bytes());

        assertThat(reply.code()).as(reply.text()).isEqualTo(554);
        assertThat(reply.lines()).singleElement().asString().contains(reason);
        assertThat(StubReportStore.stored()).isEmpty();
        try (SmtpTestClient next = SmtpTestClient.connect(listener.port())) {
            assertThat(next.greeting().code()).isEqualTo(220);
            assertThat(next.command("NOOP").code()).isEqualTo(250);
        }
        given().when().get(liveness).then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void crLfInReportStringsAndFileNamesCannotForgeReplyLines() {
        String forged = new String(Samples.read("cry-inc_dmarc-report-viewer__google.json"), StandardCharsets.UTF_8)
                .replace("\"no-policy-found\"", "\"sts\\r\\n250 2.0.0 forged\\r\\n\"");
        byte[] message = ReportMail.message()
                // RFC 2231 lets a file name carry any octet, CR and LF included.
                .rawPart("Content-Type: application/tlsrpt+json\r\nContent-Disposition: attachment;"
                                + " filename*=utf-8''x%0D%0A250%202.0.0%20forged%0D%0A.json\r\n",
                        forged.getBytes(StandardCharsets.UTF_8))
                .bytes();
        try (SmtpTestClient client = session()) {
            Reply reply = client.send(message);
            assertThat(reply.code()).isEqualTo(554);
            assertThat(reply.lines()).singleElement().asString()
                    .contains("\"x  250 2.0.0 forged  .json\"")
                    .contains("unknown value \"sts  250 2.0.0 forged\"");
            // The next reply is NOOP's own: no forged line is waiting in the stream.
            assertThat(client.command("NOOP").text()).isEqualTo("250 Ok");
        }
    }

    @Test
    void aHeaderBlockOverTheLimitIs552() {
        byte[] message = ReportMail.message().header("X-Padding: " + "a".repeat(ReportMessageHandler.MAX_HEADER_BLOCK))
                .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("big-headers")).bytes();
        assertThat(deliver(message).text()).startsWith("552 5.3.4 the header block exceeds");
        assertThat(StubReportStore.stored()).isEmpty();
    }

    @Test
    void aMessageWithMoreReportsThanTheLimitIs554AndNothingIsStored() {
        ReportMail mail = ReportMail.message();
        for (int i = 0; i <= ReportMessageHandler.MAX_REPORTS; i++) {
            mail.report("application/tlsrpt+json", i + ".json", ReportMail.uniqueReport("many-" + i));
        }
        assertThat(deliver(mail.bytes()).text())
                .isEqualTo("554 5.6.0 the message holds 51 reports; at most 50 are taken per message");
        assertThat(StubReportStore.stored()).isEmpty();
    }

    @Test
    void messageOutcomesAreCounted() {
        deliver(ReportMail.message().report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("m")).bytes());
        deliver(ReportMail.message().text("none").bytes());
        given().accept("text/plain").when().get(metrics).then().statusCode(200)
                .body(containsString("tlswatch_ingest_smtp_messages_total{outcome=\"stored\""))
                .body(containsString("tlswatch_ingest_smtp_messages_total{outcome=\"no-report\""))
                .body(containsString("tlswatch_ingest_reports_total{channel=\"smtp\",outcome=\"stored\""));
    }

    /** The header block of a sample as the file has it: up to and including the empty line's predecessor. */
    static String headerBlock(byte[] eml) {
        String text = new String(eml, StandardCharsets.ISO_8859_1);
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        int end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf + 1;
        return text.substring(0, end);
    }

    /** Gzip of a JSON object opened and followed by {@code size} spaces. */
    static byte[] jsonBomb(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write('{');
            byte[] spaces = new byte[64 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            for (int written = 0; written < size; written += spaces.length) {
                gzip.write(spaces, 0, Math.min(spaces.length, size - written));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
