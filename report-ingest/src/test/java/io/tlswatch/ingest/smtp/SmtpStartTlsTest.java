package io.tlswatch.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tlswatch.ingest.smtp.SmtpTestClient.Reply;
import io.tlswatch.ingest.testing.StubReportStore;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a certificate in the TLS configuration {@code smtp}, EHLO offers STARTTLS and reports arrive over TLS. */
@QuarkusTest
@TestProfile(SmtpStartTlsTest.WithCertificate.class)
class SmtpStartTlsTest {

    public static class WithCertificate implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SelfSignedCertificate.class));
        }
    }

    @Inject
    SmtpListener listener;

    @BeforeEach
    @AfterEach
    void emptyStore() {
        StubReportStore.clear();
    }

    @Test
    void ehloOffersStartTlsAndAReportIsDeliveredAfterTheUpgrade() throws Exception {
        byte[] report = ReportMail.uniqueReport("over-tls");
        try (SmtpTestClient client = SmtpTestClient.connect(listener.port())) {
            Reply ehlo = client.ehlo();
            assertThat(ehlo.advertises("STARTTLS")).as(ehlo.text()).isTrue();

            assertThat(client.startTls(SelfSignedCertificate.trustingIt()).code()).isEqualTo(220);
            assertThat(client.isTls()).isTrue();
            // After the handshake the session starts over (RFC 3207 §4.2): EHLO again. subethasmtp 7.2.2
            // still lists STARTTLS there, but refuses a second one.
            assertThat(client.ehlo().code()).isEqualTo(250);
            assertThat(client.command("STARTTLS").code()).isEqualTo(454);

            Reply reply = client.send(ReportMail.message()
                    .report("application/tlsrpt+gzip", "tls.json.gz", io.tlswatch.tlsrpt.Samples.gzip(report)).bytes());
            assertThat(reply.text()).matches(SmtpTestClient.STORED_ONE);
        }
        assertThat(StubReportStore.stored()).extracting(ReportSubmission::channel).containsExactly("smtp");
    }
}
