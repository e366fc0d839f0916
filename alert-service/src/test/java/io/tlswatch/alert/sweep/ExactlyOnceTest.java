package io.tlswatch.alert.sweep;

import static io.restassured.RestAssured.given;
import static io.tlswatch.alert.sweep.SweepFixture.sweep;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.tlswatch.alert.client.ReportStoreClient;
import io.tlswatch.alert.config.AlertConfig;
import io.tlswatch.alert.mail.AlertMailer;
import io.tlswatch.alert.testing.MailServer;
import io.tlswatch.alert.testing.StubReportStore;
import io.tlswatch.alert.testing.TestClock;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One mail per domain per window, none missed: through mail server outages, concurrent sweeps, two
 * replicas, restarts, a replica that dies holding a claim, and a report-store that cannot record "sent".
 */
@QuarkusTest
class ExactlyOnceTest {

    private static final String RFC_SAMPLE = "domainaware_parsedmarc__rfc8460.json";
    private static final String MAIL_RU_SAMPLE = "domainaware_parsedmarc__mail.ru.json";
    private static final String RECIPIENT = "alerts@company-y.onmicrosoft.com";

    @Inject
    SweepState state;
    @Inject
    ReportStoreClient store;
    @Inject
    AlertMailer mailer;
    @Inject
    SweepMetrics metrics;
    @Inject
    Clock clock;
    @Inject
    AlertConfig config;

    long org;
    long domainId;

    @BeforeEach
    void fresh() throws Exception {
        SweepFixture.fresh(state);
        org = StubReportStore.organisation("Company Y", RECIPIENT);
        domainId = StubReportStore.domain(org, "company-y.example");
        StubReportStore.receiveSample("company-y.example", RFC_SAMPLE);
    }

    @Test
    void smtpDownThenUpEndsWithExactlyOneEmail() throws Exception {
        MailServer.down();
        JsonPath failed = sweep();
        assertThat(failed.getList("failed.domain")).containsExactly("company-y.example");
        assertThat(failed.getString("failed[0].retry-at")).isEqualTo("2026-03-02T10:01:00Z"); // report-store's backoff
        assertThat(failed.getString("failed[0].error")).contains("the mail server did not take the alert");
        assertThat(StubReportStore.alerts("company-y.example")).extracting(a -> a.status).containsExactly("failed");
        // A failed send starts no quiet period, and the cursor stays before the domain's event.
        assertThat(StubReportStore.cursor("alert-sweep")).isZero();

        MailServer.up();
        JsonPath early = sweep();   // before the retry time: report-store would refuse, so nothing is tried
        assertThat(early.getList("alerted")).isEmpty();
        assertThat(early.getList("pending.domain")).containsExactly("company-y.example");
        assertThat(MailServer.messages()).isEmpty();

        TestClock.advance(Duration.ofSeconds(61));
        JsonPath retried = sweep();
        assertThat(retried.getList("alerted.domain")).containsExactly("company-y.example");
        assertThat(retried.getList("pending")).isEmpty();
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(retried.getLong("cursor")).isPositive();

        TestClock.advance(Duration.ofHours(2));
        assertThat(sweep().getList("alerted")).isEmpty();
        assertThat(MailServer.distinctMessages()).hasSize(1);
        assertThat(MailServer.inbox(RECIPIENT)).hasSize(1);
        StubReportStore.Alert alert = StubReportStore.alerts("company-y.example").get(0);
        assertThat(alert.status).isEqualTo("sent");
        assertThat(alert.attempts).isEqualTo(1);
    }

    @Test
    void aFailedSendIsRetriedAfterTheCursorMovedOnAndAfterARestart() throws Exception {
        MailServer.down();
        assertThat(sweep().getList("failed.domain")).containsExactly("company-y.example");
        MailServer.up();

        // Another domain fails later and is alerted at once; the shared cursor still waits for the first.
        StubReportStore.domain(org, "example.com");
        StubReportStore.receiveSample("example.com", MAIL_RU_SAMPLE);
        assertThat(sweep().getList("alerted.domain")).containsExactly("example.com");
        assertThat(StubReportStore.cursor("alert-sweep")).isZero();

        // The replica restarts: it forgets its pending domain, and finds it again from the durable cursor.
        state.reset();
        TestClock.advance(Duration.ofMinutes(2));
        JsonPath answer = sweep();

        assertThat(answer.getList("alerted.domain")).containsExactly("company-y.example");
        assertThat(answer.getList("suppressed.domain")).containsExactly("example.com");
        assertThat(MailServer.distinctMessages()).extracting(m -> m.getSubject()).containsExactlyInAnyOrder(
                "TLS delivery failures reported for company-y.example", "TLS delivery failures reported for example.com");
        assertThat(StubReportStore.cursor("alert-sweep")).isEqualTo(answer.getLong("cursor")).isPositive();
    }

    @Test
    void twoSweepsAtTheSameMomentSendOneEmail() throws Exception {
        StubReportStore.delay(Duration.ofMillis(50)); // every call overlaps the other sweep's
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<JsonPath>> sweeps = List.of(
                CompletableFuture.supplyAsync(() -> awaitThen(start)),
                CompletableFuture.supplyAsync(() -> awaitThen(start)));
        List<JsonPath> answers = sweeps.stream().map(CompletableFuture::join).toList();

        assertThat(answers.stream().mapToInt(a -> a.getList("alerted").size()).sum()).isEqualTo(1);
        assertThat(MailServer.distinctMessages()).hasSize(1);

        // The loser may keep the domain pending until the winner's lease would end; then it sees "suppressed".
        StubReportStore.delay(Duration.ZERO);
        TestClock.advance(Duration.ofMinutes(6));
        JsonPath after = sweep();
        assertThat(after.getList("alerted")).isEmpty();
        assertThat(after.getList("pending")).isEmpty();
        assertThat(StubReportStore.cursor("alert-sweep")).isPositive();
        assertThat(MailServer.distinctMessages()).hasSize(1);
    }

    @Test
    void twoReplicasSweepingAtOnceSendOneEmail() throws Exception {
        AlertSweep replicaA = replica(new SweepState());
        AlertSweep replicaB = replica(new SweepState());
        StubReportStore.delay(Duration.ofMillis(50));

        List<SweepResult> results = Uni.join().all(replicaA.sweep(), replicaB.sweep()).andFailFast()
                .await().atMost(Duration.ofSeconds(30));

        assertThat(results.stream().mapToInt(r -> r.alerted().size()).sum()).isEqualTo(1);
        assertThat(MailServer.distinctMessages()).hasSize(1);

        StubReportStore.delay(Duration.ZERO);
        TestClock.advance(Duration.ofMinutes(6));
        List<SweepResult> later = Uni.join().all(replicaA.sweep(), replicaB.sweep()).andFailFast()
                .await().atMost(Duration.ofSeconds(30));
        assertThat(later).allSatisfy(r -> assertThat(r.alerted()).isEmpty());
        assertThat(MailServer.distinctMessages()).hasSize(1);
        assertThat(StubReportStore.cursor("alert-sweep")).isPositive();
    }

    @Test
    void aReplicaThatDiesHoldingTheClaimLeavesTheDomainToTheNextSweepOnceItsLeaseEnds() throws Exception {
        // Another replica claimed the domain, then died before it could mail or record anything.
        given().baseUri(storeUrl()).header("Authorization", "Bearer " + StubReportStore.TOKEN)
                .contentType("application/json").body("{\"domain-id\":" + domainId + "}")
                .when().post("/internal/v1/alerts/claims").then().statusCode(201);

        JsonPath held = sweep();
        assertThat(held.getList("deferred.reason")).containsExactly("in-flight");
        assertThat(MailServer.messages()).isEmpty();
        assertThat(StubReportStore.cursor("alert-sweep")).isZero();

        state.reset(); // and this replica restarts too: the durable cursor still has the event
        TestClock.advance(Duration.ofMinutes(5).plusSeconds(1));
        JsonPath answer = sweep();

        assertThat(answer.getList("alerted.domain")).containsExactly("company-y.example");
        assertThat(MailServer.distinctMessages()).hasSize(1);
        assertThat(StubReportStore.alerts("company-y.example").get(0).attempts).isEqualTo(1); // the expired claim
        assertThat(StubReportStore.cursor("alert-sweep")).isPositive();
    }

    @Test
    void whenSentCannotBeRecordedTheRecordIsRetriedAndTheMailIsNotSentAgain() throws Exception {
        StubReportStore.fail("/sent", 100);

        JsonPath answer = sweep();

        assertThat(answer.getList("alerted.domain")).containsExactly("company-y.example");
        assertThat(answer.getBoolean("alerted[0].recorded")).isFalse();
        assertThat(MailServer.distinctMessages()).hasSize(1);
        assertThat(StubReportStore.alerts("company-y.example").get(0).status).isEqualTo("claimed");

        StubReportStore.fail("/sent", 0);
        TestClock.advance(Duration.ofSeconds(30));
        sweep();

        StubReportStore.Alert alert = StubReportStore.alerts("company-y.example").get(0);
        assertThat(alert.status).isEqualTo("sent");
        assertThat(alert.messageId).isEqualTo(MailServer.distinctMessages().get(0).getMessageID());
        TestClock.advance(Duration.ofMinutes(10)); // past the lease: no other sweep may take it over now
        assertThat(sweep().getList("alerted")).isEmpty();
        assertThat(MailServer.distinctMessages()).hasSize(1);
    }

    @Test
    void aBriefFailureToRecordSentIsRetriedAtOnce() throws Exception {
        StubReportStore.fail("/sent", 2);

        JsonPath answer = sweep();

        assertThat(answer.getBoolean("alerted[0].recorded")).isTrue();
        assertThat(StubReportStore.alerts("company-y.example").get(0).status).isEqualTo("sent");
        assertThat(MailServer.distinctMessages()).hasSize(1);
    }

    private AlertSweep replica(SweepState replicaState) {
        return new AlertSweep(store, new DomainAlerter(store, mailer, replicaState, metrics, clock, config),
                replicaState, metrics, clock, config);
    }

    private static JsonPath awaitThen(CyclicBarrier start) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return sweep();
    }

    private static String storeUrl() {
        return ConfigProvider.getConfig().getValue("quarkus.rest-client.report-store.url", String.class);
    }
}
