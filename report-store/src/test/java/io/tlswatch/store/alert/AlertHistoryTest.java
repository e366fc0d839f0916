package io.tlswatch.store.alert;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.alert.Fixtures.ADMIN;
import static io.tlswatch.store.alert.Fixtures.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AlertHistoryTest {

    TestClock clock;

    @BeforeEach
    void installClock() {
        clock = new TestClock(Instant.parse("2026-05-01T00:00:00Z"));
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    static JsonPath history(Map<String, Object> query) {
        return given().header("Authorization", ADMIN).queryParams(query)
                .when().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aDomainsHistoryShowsSentFailedAndNoRecipientsNewestFirst() {
        String domain = Fixtures.registeredDomain();
        Instant t0 = clock.instant();
        Response first = AlertClaimTest.claim(domain);
        AlertClaimTest.failed(first, Map.of("error", "connection refused")).then().statusCode(200);
        clock.set(t0.plus(Duration.ofMinutes(1)));
        AlertClaimTest.sent(AlertClaimTest.claim(domain)).then().statusCode(200);
        clock.set(t0.plus(Duration.ofDays(8)));
        Response second = AlertClaimTest.claim(domain);
        AlertClaimTest.mark(second.jsonPath().getLong("alert-id"), "no-recipients",
                Map.of("claim", second.jsonPath().getString("claim"))).then().statusCode(200);
        clock.set(t0.plus(Duration.ofDays(8)).plus(Duration.ofMinutes(1)));
        AlertClaimTest.failed(AlertClaimTest.claim(domain), Map.of("error", "550 relay denied")).then().statusCode(200);

        JsonPath page = history(Map.of("domain", domain));
        assertThat(page.getList("items.status")).containsExactly("failed", "no-recipients", "sent");
        assertThat(page.getLong("total")).isEqualTo(3);
        assertThat(page.getInt("page")).isZero();
        assertThat(page.getInt("size")).isEqualTo(50);
        assertThat(page.getList("items.domain")).containsOnly(domain);

        Map<String, Object> failed = page.getMap("items[0]");
        assertThat(failed).containsEntry("attempts", 1).containsEntry("last-error", "550 relay denied")
                .containsEntry("retry-at", t0.plus(Duration.ofDays(8)).plus(Duration.ofMinutes(2)).toString())
                .containsEntry("sent-at", null).containsEntry("suppressed-until", null);
        Map<String, Object> sent = page.getMap("items[2]");
        Instant sentAt = t0.plus(Duration.ofMinutes(1));
        assertThat(sent).containsEntry("id", (int) first.jsonPath().getLong("alert-id"))
                .containsEntry("sent-at", sentAt.toString())
                .containsEntry("suppressed-until", sentAt.plus(Duration.ofDays(7)).toString())
                .containsEntry("recipients", List.of("alerts@ops.example"))
                .containsEntry("message-id", "<a1@tlswatch>")
                .containsEntry("failed-sessions", 303)
                .containsEntry("attempts", 1)
                .containsEntry("last-error", "connection refused")
                .doesNotContainKey("claim");
    }

    @Test
    void withoutADomainTheHistoryListsEveryDomainsAlertsPaged() {
        clock.set(Instant.parse("2031-01-01T00:00:00Z"));   // later than any other test's alerts
        String older = Fixtures.registeredDomain();
        String newer = Fixtures.registeredDomain();
        AlertClaimTest.claim(older).then().statusCode(201);
        clock.advance(Duration.ofSeconds(1));
        AlertClaimTest.claim(newer).then().statusCode(201);

        long total = Fixtures.insert("select count(*) from alert");
        JsonPath first = history(Map.of("size", 1));
        assertThat(first.getList("items.domain")).containsExactly(newer);
        assertThat(first.getLong("total")).isEqualTo(total);
        JsonPath second = history(Map.of("size", 1, "page", 1));
        assertThat(second.getList("items.domain")).containsExactly(older);
        assertThat(second.getList("items.status")).containsExactly("claimed");
        JsonPath beyond = history(Map.of("size", 500, "page", 1_000_000));
        assertThat(beyond.getList("items")).isEmpty();
        assertThat(beyond.getLong("total")).isEqualTo(total);
    }

    @Test
    void anUnknownDomainIsNotFoundBadPagingIsRefusedAndTheRouteNeedsTheAdminToken() {
        given().header("Authorization", ADMIN).queryParam("domain", Fixtures.uniqueDomain())
                .when().get("/api/v1/alerts").then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", ADMIN).queryParam("size", 0)
                .when().get("/api/v1/alerts").then().statusCode(400);
        given().header("Authorization", ADMIN).queryParam("page", -1)
                .when().get("/api/v1/alerts").then().statusCode(400);
        given().header("Authorization", INTERNAL).when().get("/api/v1/alerts").then().statusCode(401);
    }
}
