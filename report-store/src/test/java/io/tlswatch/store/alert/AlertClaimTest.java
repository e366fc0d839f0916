package io.tlswatch.store.alert;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.alert.Fixtures.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AlertClaimTest {

    static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
    static final Duration WINDOW = Duration.ofDays(7);
    static final Duration LEASE = Duration.ofMinutes(5);

    TestClock clock;
    String domain;

    @BeforeEach
    void aFreshDomainAndAClockAtT0() {
        clock = new TestClock(T0);
        QuarkusMock.installMockForType(clock, Clock.class);
        domain = Fixtures.registeredDomain();
    }

    static Response claim(String domain) {
        return given().header("Authorization", INTERNAL).contentType(ContentType.JSON)
                .body(Map.of("domain", domain)).when().post("/internal/v1/alerts/claims");
    }

    static Response mark(long alertId, String outcome, Map<String, Object> body) {
        return given().header("Authorization", INTERNAL).contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/alerts/" + alertId + "/" + outcome);
    }

    static Response sent(Response claim) {
        return mark(claim.jsonPath().getLong("alert-id"), "sent", Map.of("claim", claim.jsonPath().getString("claim"),
                "recipients", List.of("alerts@ops.example"), "message-id", "<a1@tlswatch>", "failed-sessions", 303));
    }

    static Response failed(Response claim, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("claim", claim.jsonPath().getString("claim"));
        body.putIfAbsent("error", "421 4.7.0 try again later");
        return mark(claim.jsonPath().getLong("alert-id"), "failed", body);
    }

    static Instant instant(Response response, String path) {
        return Instant.parse(response.jsonPath().getString(path));
    }

    @Test
    void aSentAlertSuppressesTheDomainUntilSentAtPlusTheWindow() {
        Response won = claim(domain);
        won.then().statusCode(201).body("domain", is(domain)).body("attempts", is(0));
        assertThat(instant(won, "lease-expires-at")).isEqualTo(T0.plus(LEASE));

        clock.advance(Duration.ofSeconds(20));
        Response marked = sent(won);
        marked.then().statusCode(200).body("status", is("sent")).body("recipients", is(List.of("alerts@ops.example")))
                .body("message-id", is("<a1@tlswatch>"));
        Instant sentAt = instant(marked, "sent-at");
        assertThat(sentAt).isEqualTo(T0.plusSeconds(20));

        clock.advance(Duration.ofHours(1));
        Response suppressed = claim(domain);
        suppressed.then().statusCode(409).contentType("application/problem+json")
                .body("reason", is("suppressed")).body("domain", is(domain));
        assertThat(instant(suppressed, "suppressed-until")).isEqualTo(sentAt.plus(WINDOW));
    }

    @Test
    void theSuppressionWindowEndsExactlyAtSentAtPlusTheWindow() {
        Response won = claim(domain);
        sent(won).then().statusCode(200);
        Instant end = T0.plus(WINDOW);

        clock.set(end.minusSeconds(1));
        claim(domain).then().statusCode(409).body("reason", is("suppressed"));
        clock.set(end);
        Response again = claim(domain);
        again.then().statusCode(201);
        assertThat(again.jsonPath().getLong("alert-id")).isNotEqualTo(won.jsonPath().getLong("alert-id"));
        clock.set(end.plus(Duration.ofMinutes(1)));
        claim(domain).then().statusCode(409).body("reason", is("in-flight"));
    }

    @Test
    void ofTenParallelClaimsForOneDomainExactlyOneWins() throws Exception {
        int callers = 10;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Callable<Response> call = () -> {
                start.await();
                return claim(domain);
            };
            answers.add(pool.submit(call));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get();
            statuses.add(response.statusCode());
            if (response.statusCode() == 409) {
                reasons.add(response.jsonPath().getString("reason"));
            }
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        assertThat(reasons).hasSize(9).containsOnly("in-flight");
        assertThat(Fixtures.insert("select count(*) from alert a join domain d on d.id = a.domain_id where d.name = ?",
                domain)).isEqualTo(1);
    }

    @Test
    void aFailedSendReleasesTheClaimCountsAttemptsAndHonoursTheBackoff() {
        Response first = claim(domain);
        long alertId = first.jsonPath().getLong("alert-id");
        Response failedOnce = failed(first, Map.of());
        failedOnce.then().statusCode(200).body("status", is("failed")).body("attempts", is(1))
                .body("last-error", is("421 4.7.0 try again later"));
        assertThat(instant(failedOnce, "retry-at")).isEqualTo(T0.plus(Duration.ofMinutes(1)));

        clock.set(T0.plusSeconds(59));
        Response waiting = claim(domain);
        waiting.then().statusCode(409).body("reason", is("retry-pending"));
        assertThat(instant(waiting, "retry-at")).isEqualTo(T0.plus(Duration.ofMinutes(1)));

        clock.set(T0.plusSeconds(60));
        Response second = claim(domain);
        second.then().statusCode(201).body("alert-id", is((int) alertId)).body("attempts", is(1));
        Response failedTwice = failed(second, Map.of("error", "connection refused"));
        failedTwice.then().statusCode(200).body("attempts", is(2));
        assertThat(instant(failedTwice, "retry-at")).isEqualTo(T0.plusSeconds(60).plus(Duration.ofMinutes(2)));

        // A failed send never starts the suppression window: once the retry is due the domain is claimable.
        clock.set(T0.plusSeconds(180));
        Response third = claim(domain);
        third.then().statusCode(201).body("alert-id", is((int) alertId)).body("attempts", is(2));
        sent(third).then().statusCode(200).body("status", is("sent")).body("attempts", is(2));
    }

    @Test
    void theBackoffDoublesUpToOneHourAndAnExplicitRetryAtIsHonoured() {
        Instant now = T0;
        for (int attempt = 1; attempt <= 8; attempt++) {
            Response claimed = claim(domain);
            claimed.then().statusCode(201);
            Response failed = failed(claimed, Map.of());
            long minutes = Math.min(60, 1L << (attempt - 1));
            assertThat(instant(failed, "retry-at")).as("attempt " + attempt).isEqualTo(now.plus(Duration.ofMinutes(minutes)));
            now = instant(failed, "retry-at");
            clock.set(now);
        }
        Instant chosen = now.plus(Duration.ofHours(6));
        Response claimed = claim(domain);
        failed(claimed, Map.of("retry-at", chosen.toString())).then().statusCode(200);
        clock.set(chosen.minusSeconds(1));
        claim(domain).then().statusCode(409).body("reason", is("retry-pending"));
        clock.set(chosen);
        claim(domain).then().statusCode(201).body("attempts", is(9));
    }

    @Test
    void aClaimPastItsLeaseCanBeClaimedAgainAndTheStaleHolderGets409() {
        Response stale = claim(domain);
        long alertId = stale.jsonPath().getLong("alert-id");

        clock.set(T0.plus(LEASE).minusSeconds(1));
        Response inFlight = claim(domain);
        inFlight.then().statusCode(409).body("reason", is("in-flight"));
        assertThat(instant(inFlight, "in-flight-until")).isEqualTo(T0.plus(LEASE));

        clock.set(T0.plus(LEASE));
        Response taker = claim(domain);
        taker.then().statusCode(201).body("alert-id", is((int) alertId)).body("attempts", is(1));
        assertThat(taker.jsonPath().getString("claim")).isNotEqualTo(stale.jsonPath().getString("claim"));

        sent(stale).then().statusCode(409).contentType("application/problem+json")
                .body("reason", is("claim-not-held")).body("alert-status", is("claimed"));
        failed(stale, Map.of()).then().statusCode(409).body("reason", is("claim-not-held"));
        sent(taker).then().statusCode(200).body("status", is("sent"))
                .body("last-error", org.hamcrest.Matchers.containsString("lease expired"));
    }

    @Test
    void theHolderMayRecordItsOutcomeAfterTheLeaseWhileNobodyTookItOver() {
        Response won = claim(domain);
        clock.set(T0.plus(LEASE).plusSeconds(30));
        sent(won).then().statusCode(200).body("status", is("sent"));
        claim(domain).then().statusCode(409).body("reason", is("suppressed"));
    }

    @Test
    void recordingTheSameOutcomeAgainWithTheSameClaimAnswersTheAlertUnchanged() {
        Response won = claim(domain);
        Response first = sent(won);
        first.then().statusCode(200);
        clock.advance(Duration.ofMinutes(1));
        Response repeated = sent(won);
        repeated.then().statusCode(200).body("sent-at", is(first.jsonPath().getString("sent-at")));
        // A different outcome for a finished alert is a conflict.
        failed(won, Map.of()).then().statusCode(409).body("reason", is("claim-not-held")).body("alert-status", is("sent"));
    }

    @Test
    void noRecipientsIsRecordedButStartsNoSuppressionWindow() {
        Response won = claim(domain);
        mark(won.jsonPath().getLong("alert-id"), "no-recipients",
                Map.of("claim", won.jsonPath().getString("claim"), "failed-sessions", 12))
                .then().statusCode(200).body("status", is("no-recipients")).body("failed-sessions", is(12))
                .body("suppressed-until", org.hamcrest.Matchers.nullValue());
        clock.advance(Duration.ofMinutes(1));
        Response next = claim(domain);
        next.then().statusCode(201);
        assertThat(next.jsonPath().getLong("alert-id")).isNotEqualTo(won.jsonPath().getLong("alert-id"));
    }

    @Test
    void aDomainWithReportingOffIsNeverClaimedAndAnUnknownDomainIsNotFound() {
        String off = Fixtures.uniqueDomain();
        Fixtures.domain(Fixtures.organisation("Quiet Org"), off, false);
        claim(off).then().statusCode(409).body("reason", is("tls-reporting-off"));
        claim(Fixtures.uniqueDomain()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aDomainCanBeClaimedByIdAndByANameInAnyCase() {
        long id = Fixtures.insert("select id from domain where name = ?", domain);
        Response byId = given().header("Authorization", INTERNAL).contentType(ContentType.JSON)
                .body(Map.of("domain-id", id)).when().post("/internal/v1/alerts/claims");
        byId.then().statusCode(201).body("domain", is(domain)).body("domain-id", is((int) id));
        claim(domain.toUpperCase() + ".").then().statusCode(409).body("reason", is("in-flight"));
    }

    @Test
    void outcomesNeedTheClaimTokenAndTheirFields() {
        Response won = claim(domain);
        long alertId = won.jsonPath().getLong("alert-id");
        mark(alertId, "sent", Map.of("recipients", List.of("a@ops.example")))
                .then().statusCode(400).body("errors[0].field", is("claim"));
        mark(alertId, "sent", Map.of("claim", "not-a-token", "recipients", List.of("a@ops.example")))
                .then().statusCode(400).body("errors[0].field", is("claim"));
        mark(alertId, "sent", Map.of("claim", won.jsonPath().getString("claim")))
                .then().statusCode(400).body("errors[0].field", is("recipients"));
        mark(alertId, "failed", Map.of("claim", won.jsonPath().getString("claim")))
                .then().statusCode(400).body("errors[0].field", is("error"));
        mark(Long.MAX_VALUE, "sent", Map.of("claim", won.jsonPath().getString("claim"),
                "recipients", List.of("a@ops.example"))).then().statusCode(404);
        given().header("Authorization", INTERNAL).contentType(ContentType.JSON).body(Map.of())
                .when().post("/internal/v1/alerts/claims").then().statusCode(400).body("errors[0].field", is("domain"));
    }
}
