package io.tlswatch.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One piece down at a time (report-store, alert-service, the mail server), the others up: nothing
 * accepted is lost, nothing is acknowledged that was not stored, and each alert arrives once when the
 * piece is back. alert-service sweeps on its own every second here, as in production (only faster).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureRecoveryIT {

    /** Generous: a restart of a service, and the mail retry of report-store's backoff (1 minute). */
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private TlsWatchSystem system;

    @BeforeAll
    void start() {
        system = TlsWatchSystem.builder().sweepInterval("1s")
                .logDir(Path.of("target", "system-logs", "FailureRecoveryIT"))
                .jvmArgs(SystemTests.SERVICE_JVM_ARGS).start();
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void reportStoreDownIngestRefusesAndStoresNothingThenTheRetryIsStoredAndAlerted() {
        String domain = "store-outage.system.test";
        String recipient = "ops@store-outage-oob.test";
        system.register("Store Outage Org", List.of(domain), List.of(recipient));
        String httpsId = TestReports.uniqueId();
        byte[] httpsReport = TestReports.report("Outage Sender", httpsId, domain, 5);
        String smtpId = TestReports.uniqueId();
        byte[] smtpMail = TestReports.mail(TestReports.report("Outage Mailer", smtpId, domain, 2), domain, smtpId);

        system.store().stop();
        Http.Response refused = system.postReport(httpsReport, "application/tlsrpt+json");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.retryAfter()).isNotBlank();
        SmtpSender.Reply deferred = system.mailReport(smtpMail);
        assertThat(deferred.code()).as(deferred.text()).isEqualTo(451);

        system.store().start(TlsWatchSystem.START_TIMEOUT);
        assertThat(system.storeApi("GET", "/api/v1/reports?domain=" + domain, null, 200).path("total").asLong())
                .as("nothing stored while report-store was down").isZero();
        assertThat(system.mail().inbox(recipient)).isEmpty();

        // The senders retry, as they were told to; ingest may refuse a little longer while it sees the store back.
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2))
                .until(() -> system.postReport(httpsReport, "application/tlsrpt+json").status() / 100 == 2);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2))
                .until(() -> system.mailReport(smtpMail).code() == 250);
        assertThat(system.storeApi("GET", "/api/v1/reports?domain=" + domain, null, 200).path("total").asLong())
                .isEqualTo(2);

        await().atMost(PATIENCE).until(() -> system.mail().inbox(recipient).size() == 1);
        assertOneSentAlert(domain, recipient);
    }

    @Test
    void alertServiceDownWhileReportsArriveAlertsOnceAfterItsRestart() {
        List<String> domains = List.of("alert-outage-a.system.test", "alert-outage-b.system.test");
        String recipient = "ops@alert-outage-oob.test";
        system.register("Alert Outage Org", domains, List.of(recipient));

        system.alert().stop();
        for (String domain : domains) {
            for (int i = 0; i < 2; i++) {
                deliver(TestReports.report("Sender " + i, TestReports.uniqueId(), domain, 4));
            }
        }
        assertThat(system.mail().inbox(recipient)).isEmpty();

        system.alert().start(TlsWatchSystem.START_TIMEOUT);
        await().atMost(PATIENCE).until(() -> system.mail().inbox(recipient).size() >= 2);
        for (String domain : domains) {
            assertOneSentAlert(domain, recipient);
        }
    }

    @Test
    void mailServerDownDuringASweepTheAlertIsSentOnceItIsBackNotTwice() {
        String domain = "mail-outage.system.test";
        String recipient = "ops@mail-outage-oob.test";
        system.register("Mail Outage Org", List.of(domain), List.of(recipient));

        system.mail().stop();
        try {
            deliver(TestReports.report("Mail Outage Sender", TestReports.uniqueId(), domain, 9));
            // A sweep has tried and failed: the alert is recorded as failed, to be retried.
            await().atMost(PATIENCE).until(() -> {
                JsonNode items = alerts(domain).path("items");
                return items.size() == 1 && items.get(0).path("status").asText().equals("failed");
            });
            assertThat(SystemTests.subjectsMentioning(system.mail(), domain)).isEmpty();
        } finally {
            system.mail().start();
        }

        await().atMost(PATIENCE).until(() -> system.mail().inbox(recipient).size() == 1);
        assertOneSentAlert(domain, recipient);
    }

    /**
     * Posts the report as a reporting MTA does: again after a 503, until it is stored. After the store outage
     * of another test, ingest's circuit breaker may still refuse for a few seconds (its window of the last
     * ten calls still holds the outage's failures).
     */
    private void deliver(byte[] report) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Http.Response response = system.postReport(report, "application/tlsrpt+json");
            assertThat(response.status()).as(response.body()).isIn(200, 201, 503);
            return response.status() / 100 == 2;
        });
    }

    /**
     * Exactly one mail for the domain, and its history one sent alert, also after a further sweep (which
     * would mail again if anything were left to send).
     */
    private void assertOneSentAlert(String domain, String recipient) {
        await().atMost(PATIENCE).until(() -> {
            JsonNode items = alerts(domain).path("items");
            return items.size() == 1 && items.get(0).path("status").asText().equals("sent");
        });
        JsonNode sweep = system.sweep();
        assertThat(sweep.path("alerted").findValuesAsText("domain")).doesNotContain(domain);
        assertThat(SystemTests.subjectsMentioning(system.mail(), domain)).hasSize(1);
        assertThat(system.mail().inbox(recipient).stream().filter(m -> subject(m).contains(domain))).hasSize(1);
        assertThat(alerts(domain).path("total").asLong()).isEqualTo(1);
    }

    private JsonNode alerts(String domain) {
        return system.storeApi("GET", "/api/v1/alerts?domain=" + domain, null, 200);
    }

    private static String subject(com.icegreen.greenmail.store.StoredMessage message) {
        try {
            return String.valueOf(message.getMimeMessage().getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
