package io.tlswatch.alert.sweep;

import static io.restassured.RestAssured.given;
import static io.tlswatch.alert.sweep.SweepFixture.sweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tlswatch.alert.testing.Mails;
import io.tlswatch.alert.testing.MailServer;
import io.tlswatch.alert.testing.StubReportStore;
import io.tlswatch.alert.testing.TestClock;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweep end to end: stub report-store, real SMTP (GreenMail), POST /api/v1/sweeps. */
@QuarkusTest
class AlertSweepTest {

    private static final String RFC_SAMPLE = "domainaware_parsedmarc__rfc8460.json";
    private static final String MAIL_RU_SAMPLE = "domainaware_parsedmarc__mail.ru.json";
    private static final String NO_IP_AND_MX_SAMPLE = "cry-inc_dmarc-report-viewer__no_ip_and_mx.json";

    @Inject
    SweepState state;

    @BeforeEach
    void fresh() throws Exception {
        SweepFixture.fresh(state);
    }

    @Test
    void anAlertArrivesWithTheExpectedSubjectRecipientsAndContent() throws Exception {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com", "noc@ops.example.org");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);

        JsonPath answer = sweep();

        assertThat(answer.getList("alerted.domain")).containsExactly("company-y.example");
        assertThat(answer.getList("alerted[0].recipients"))
                .containsExactly("alerts@company-y.onmicrosoft.com", "noc@ops.example.org");
        List<MimeMessage> mails = MailServer.distinctMessages();
        assertThat(mails).hasSize(1);
        assertThat(MailServer.inbox("alerts@company-y.onmicrosoft.com")).hasSize(1);
        assertThat(MailServer.inbox("noc@ops.example.org")).hasSize(1);

        MimeMessage mail = mails.get(0);
        assertThat(Mails.subject(mail)).isEqualTo("TLS delivery failures reported for company-y.example");
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly("alerts@company-y.onmicrosoft.com", "noc@ops.example.org");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("TLSWatch <tlswatch@localhost>");
        assertThat(Mails.header(mail, "Auto-Submitted")).isEqualTo("auto-generated");

        StubReportStore.Alert alert = StubReportStore.alerts("company-y.example").get(0);
        assertThat(alert.status).isEqualTo("sent");
        assertThat(alert.recipients).containsExactly("alerts@company-y.onmicrosoft.com", "noc@ops.example.org");
        assertThat(alert.messageId).isEqualTo(mail.getMessageID()).isEqualTo(answer.getString("alerted[0].message-id"));
        assertThat(alert.failedSessions).isEqualTo(303L);

        for (String body : List.of(Mails.text(mail), Mails.html(mail))) {
            assertThat(body)
                    .contains("company-y.example")
                    .contains("Company Y")
                    .contains("2016-04-01 00:00 UTC to 2016-04-01 23:59 UTC")     // the reporting period
                    .contains("303").contains("5326")
                    .contains("The MX certificate has expired.")                  // result types in words
                    .contains("certificate-expired").contains("starttls-not-supported")
                    .contains("validation-failure")
                    .contains("The receiving MX did not offer STARTTLS")
                    .contains("mx1.mail.company-y.example").contains("mx2.mail.company-y.example")
                    .contains("203.0.113.56")                                      // receiving IPs
                    .contains("Company-X")                                         // who reported
                    .contains("renew it")                                          // likely cause
                    .contains("https://tlswatch.example.net/domains/company-y.example")
                    .contains("2026-03-09 10:00 UTC");                             // next alert: 7 days on
        }
        assertThat(Mails.html(mail)).contains("<a href=\"https://tlswatch.example.net/domains/company-y.example\">");
        // Every event handled: the shared cursor is past the report.
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(answer.getLong("cursor")).isPositive();
    }

    @Test
    void aSecondFailingReportWithinSevenDaysSendsNothing() throws Exception {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);
        assertThat(sweep().getList("alerted.domain")).containsExactly("company-y.example");

        TestClock.advance(Duration.ofDays(6).plusHours(23));
        StubReportStore.receiveSample("company-y.example", NO_IP_AND_MX_SAMPLE);
        JsonPath answer = sweep();

        assertThat(answer.getList("alerted")).isEmpty();
        assertThat(answer.getList("suppressed.domain")).containsExactly("company-y.example");
        assertThat(answer.getString("suppressed[0].until")).isEqualTo("2026-03-09T10:00:00Z");
        assertThat(MailServer.distinctMessages()).hasSize(1);
        assertThat(StubReportStore.alerts("company-y.example")).hasSize(1);
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(answer.getLong("cursor"));
    }

    @Test
    void afterSevenDaysTheNextFailureSendsAgain() throws Exception {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);
        sweep();

        TestClock.advance(Duration.ofDays(7).plusMinutes(1));
        StubReportStore.receiveSample("company-y.example", NO_IP_AND_MX_SAMPLE);
        JsonPath answer = sweep();

        assertThat(answer.getList("alerted.domain")).containsExactly("company-y.example");
        List<MimeMessage> mails = MailServer.distinctMessages();
        assertThat(mails).hasSize(2);
        assertThat(MailServer.inbox("alerts@company-y.onmicrosoft.com")).hasSize(2);
        assertThat(StubReportStore.alerts("company-y.example")).extracting(a -> a.status).containsExactly("sent", "sent");
        assertThat(Mails.text(mails.get(1))).contains("2026-03-16 10:01 UTC");
    }

    @Test
    void anOrganisationWithoutRecipientsGetsNoMailAndItsHistorySaysNoRecipients() throws Exception {
        long org = StubReportStore.organisation("Quiet Org");
        StubReportStore.domain(org, "example.com");
        StubReportStore.receiveSample("example.com", MAIL_RU_SAMPLE);

        JsonPath answer = sweep();

        assertThat(answer.getList("no-recipients.domain")).containsExactly("example.com");
        assertThat(answer.getList("alerted")).isEmpty();
        assertThat(MailServer.messages()).isEmpty();
        assertThat(StubReportStore.alerts("example.com")).extracting(a -> a.status).containsExactly("no-recipients");
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(answer.getLong("cursor"));

        // "No recipients" starts no quiet period: once an address is added, the next failure is alerted.
        StubReportStore.addRecipient(org, "alerts@quiet-org.onmicrosoft.com");
        TestClock.advance(Duration.ofHours(1));
        StubReportStore.receiveSample("example.com", MAIL_RU_SAMPLE);
        assertThat(sweep().getList("alerted.domain")).containsExactly("example.com");
        assertThat(MailServer.inbox("alerts@quiet-org.onmicrosoft.com")).hasSize(1);
    }

    @Test
    void severalDomainsInOneSweepEachGetTheirOwnMail() throws Exception {
        long contoso = StubReportStore.organisation("Contoso", "alerts@contoso.onmicrosoft.com");
        long fabrikam = StubReportStore.organisation("Fabrikam", "tls@fabrikam-ops.example.net");
        StubReportStore.domain(contoso, "company-y.example");
        StubReportStore.domain(contoso, "example.com");
        StubReportStore.domain(fabrikam, "xxxxxxxx.xx");
        // 120 reports: more than one page (100), and every domain on both pages.
        for (int i = 0; i < 40; i++) {
            StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);
            StubReportStore.receiveSample("example.com", MAIL_RU_SAMPLE);
            StubReportStore.receiveSample("xxxxxxxx.xx", NO_IP_AND_MX_SAMPLE);
        }

        JsonPath answer = sweep();

        assertThat(answer.getInt("events")).isEqualTo(120);
        assertThat(answer.getList("alerted.domain"))
                .containsExactlyInAnyOrder("company-y.example", "example.com", "xxxxxxxx.xx");
        assertThat(answer.getList("suppressed")).isEmpty();
        assertThat(MailServer.distinctMessages()).extracting(Mails::subject).containsExactlyInAnyOrder(
                "TLS delivery failures reported for company-y.example",
                "TLS delivery failures reported for example.com",
                "TLS delivery failures reported for xxxxxxxx.xx");
        assertThat(MailServer.inbox("alerts@contoso.onmicrosoft.com")).extracting(Mails::subject)
                .containsExactlyInAnyOrder("TLS delivery failures reported for company-y.example",
                        "TLS delivery failures reported for example.com");
        assertThat(MailServer.inbox("tls@fabrikam-ops.example.net")).extracting(Mails::subject)
                .containsExactly("TLS delivery failures reported for xxxxxxxx.xx");
        MimeMessage fetchError = MailServer.inbox("tls@fabrikam-ops.example.net").get(0);
        assertThat(Mails.text(fetchError))
                .contains("https://mta-sts.xxxxxxxx.xx/.well-known/mta-sts.txt could not be fetched")
                .contains("40 reports");
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(answer.getLong("cursor"));
        assertThat(sweep().getList("alerted")).isEmpty();
    }

    @Test
    void sweepsNeedTheAdminToken() {
        given().when().post("/api/v1/sweeps").then().statusCode(401)
                .contentType("application/problem+json").body("status", is(401));
        given().header("Authorization", "Bearer wrong").when().post("/api/v1/sweeps").then().statusCode(401);
        // The prefix check sees through doubled slashes and case.
        given().when().post("//API/v1/sweeps").then().statusCode(401);
        assertThat(StubReportStore.requests()).isEmpty();
    }

    @Test
    void whenReportStoreCannotBeReadTheSweepAnswers503AndTheNextOneCatchesUp() throws Exception {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);
        StubReportStore.fail("GET /internal/v1/failure-events", 3);

        given().header("Authorization", SweepFixture.ADMIN).when().post("/api/v1/sweeps")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "30");
        assertThat(MailServer.messages()).isEmpty();

        assertThat(sweep().getList("alerted.domain")).containsExactly("company-y.example");
        assertThat(MailServer.distinctMessages()).hasSize(1);
    }

    @Test
    void sweepsWithNothingNewMoveTheCursorPastReportsWithoutEventsOnlyOnceAMinute() throws Exception {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.domain(org, "quiet.example", false); // TLS reporting off: its reports give no event
        StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);
        JsonPath alerted = sweep();
        long afterAlert = StubReportStore.cursor("alert-sweep");
        assertThat(afterAlert).isEqualTo(alerted.getLong("cursor")).isPositive();

        // A report that gives no event: the next sweeps read past it, but the shared cursor stays (each move
        // is a write in report-store) until a minute after its last move.
        StubReportStore.receiveSample("quiet.example", MAIL_RU_SAMPLE);
        int before = StubReportStore.requests().size();
        JsonPath idle = sweep();
        assertThat(idle.getInt("events")).isZero();
        assertThat(StubReportStore.requests().subList(before, StubReportStore.requests().size()))
                .noneMatch(call -> call.startsWith("PUT "));
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(afterAlert).isEqualTo(idle.getLong("cursor"));

        TestClock.advance(AlertSweep.IDLE_CURSOR_MOVE);
        JsonPath later = sweep();
        assertThat(StubReportStore.cursor("alert-sweep")).isGreaterThan(afterAlert).isEqualTo(later.getLong("cursor"));

        // A page with events moves it at once, a minute or not.
        long afterIdleMove = StubReportStore.cursor("alert-sweep");
        StubReportStore.receiveSample("company-y.example", NO_IP_AND_MX_SAMPLE);
        assertThat(sweep().getList("suppressed.domain")).containsExactly("company-y.example");
        assertThat(StubReportStore.cursor("alert-sweep")).isGreaterThan(afterIdleMove);
        assertThat(MailServer.distinctMessages()).hasSize(1);
    }
}
