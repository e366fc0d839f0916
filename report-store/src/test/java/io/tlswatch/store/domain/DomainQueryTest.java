package io.tlswatch.store.domain;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.testing.Reports.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.store.testing.Sql;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DomainQueryTest {

    private JsonPath domains() {
        return given().header("Authorization", ADMIN).when().get("/api/v1/domains")
                .then().statusCode(200).extract().jsonPath();
    }

    private Map<String, Object> status(JsonPath list, String name) {
        List<Map<String, Object>> items = list.getList("items");
        return items.stream().filter(i -> i.get("name").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void domainsAreListedWithTheirStateFailingFirst() {
        Sql.organisationWithDomain("Acme", "a-healthy.example", true);
        Sql.organisationWithDomain("Acme 2", "b-failing.example", true);
        Sql.organisationWithDomain("Acme 3", "c-quiet.example", true);
        Sql.organisationWithDomain("Acme 4", "d-off.example", false);
        Reports.store(Reports.daily("Sender", "h-1", "a-healthy.example", 1, 40, 0, null, "mx.a-healthy.example"));
        Reports.store(Reports.daily("Sender", "f-1", "b-failing.example", 20, 7, 0, null, "mx.b-failing.example"));
        Reports.store(Reports.daily("Sender", "f-2", "mx1.b-failing.example", 2, 5, 3, "certificate-expired",
                "mx1.b-failing.example"));
        Reports.store(Reports.daily("Sender", "o-1", "d-off.example", 1, 1, 9, "starttls-not-supported", "mx.d-off.example"));

        JsonPath list = domains();
        assertThat(list.getString("items[0].name")).isEqualTo("b-failing.example");
        Map<String, Object> failing = status(list, "b-failing.example");
        assertThat(failing).containsEntry("state", "failing")
                .containsEntry("failed-sessions-7d", 3).containsEntry("successful-sessions-7d", 5)
                .containsEntry("failed-sessions-30d", 3).containsEntry("successful-sessions-30d", 12);
        assertThat(failing.get("last-failure-at")).isNotNull();
        assertThat(status(list, "a-healthy.example")).containsEntry("state", "healthy").containsEntry("failed-sessions-7d", 0);
        assertThat(status(list, "c-quiet.example")).containsEntry("state", "no-reports").containsEntry("last-report-at", null);
        assertThat(status(list, "d-off.example")).containsEntry("state", "reporting-off").containsEntry("failed-sessions-7d", 9);
    }

    @Test
    void reportsForUnregisteredDomainsAreListedAsUnclaimed() {
        Reports.store(Reports.daily("Sender", "u-1", "nobody-owns.example", 1, 3, 2, "dane-required", "mx.nobody-owns.example"));
        List<Map<String, Object>> unclaimed = domains().getList("unclaimed");
        assertThat(unclaimed).filteredOn(u -> u.get("policy-domain").equals("nobody-owns.example"))
                .singleElement().satisfies(u -> assertThat(u).containsEntry("reports", 1).containsEntry("failed-sessions", 2));
    }

    @Test
    void oneDomainHasItsBreakdownsAndTheRecordToPublish() {
        Sql.organisationWithDomain("Breakdown Org", "breakdown.example", true);
        Reports.store(Reports.daily("Google Inc.", "b-1", "breakdown.example", 1, 10, 4, "certificate-expired", "mx1.breakdown.example"));
        Reports.store(Reports.daily("Microsoft Corporation", "b-2", "breakdown.example", 1, 20, 6, "certificate-expired", "mx2.breakdown.example"));
        Reports.store(Reports.daily("Google Inc.", "b-3", "breakdown.example", 3, 30, 1, "sts-policy-fetch-error", "mx1.breakdown.example"));

        JsonPath detail = given().header("Authorization", ADMIN).when().get("/api/v1/domains/Breakdown.Example")
                .then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("status.state")).isEqualTo("failing");
        assertThat(detail.getList("failures-by-result-type.value")).containsExactly("certificate-expired", "sts-policy-fetch-error");
        assertThat(detail.getList("failures-by-result-type.failed-sessions")).containsExactly(10, 1);
        assertThat(detail.getList("failures-by-receiving-mx-host.value")).containsExactly("mx2.breakdown.example", "mx1.breakdown.example");
        assertThat(detail.getList("failures-by-receiving-mx-host.failed-sessions")).containsExactly(6, 5);
        assertThat(detail.getList("failures-by-receiving-ip.failed-sessions")).containsExactly(11);
        assertThat(detail.getList("sessions-by-reporter.organization-name")).containsExactly("Microsoft Corporation", "Google Inc.");
        assertThat(detail.getList("sessions-by-reporter.reports")).containsExactly(1, 2);
        assertThat(detail.getList("sessions-by-day.failed-sessions")).containsExactly(1, 10);
        assertThat(detail.getList("sessions-by-day.successful-sessions")).containsExactly(30, 30);
        assertThat(detail.getList("policies-seen.policy-type")).containsOnly("sts");
        assertThat(detail.getString("dns-record.name")).isEqualTo("_smtp._tls.breakdown.example");
        assertThat(detail.getString("dns-record.value"))
                .isEqualTo("v=TLSRPTv1; rua=https://tlsrpt.example.net/v1/tlsrpt,mailto:tlsrpt@tlsrpt.example.net");
    }

    @Test
    void anUnregisteredDomainIsNotFoundAndABadPeriodIsAProblem() {
        given().header("Authorization", ADMIN).when().get("/api/v1/domains/unknown.example")
                .then().statusCode(404).contentType("application/problem+json");
        Sql.organisationWithDomain("Days Org", "days.example", true);
        given().header("Authorization", ADMIN).queryParam("days", 0).when().get("/api/v1/domains/days.example")
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("days"));
    }
}
