package io.tlswatch.store.report;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.testing.Reports.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.tlsrpt.Samples;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReportQueryTest {

    @Test
    void aStoredSampleReadsBackWithTheValuesInTheFile() {
        long id = Reports.store(Samples.read("domainaware_parsedmarc__rfc8460.json"));
        given().header("Authorization", ADMIN).when().get("/api/v1/reports/" + id).then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("channel", is("https"))
                .body("report.organization-name", is("Company-X"))
                .body("report.report-id", is("5065427c-23d3-47ca-b6e0-946ea0e8c4be"))
                .body("report.date-range.start-datetime", is("2016-04-01T00:00:00Z"))
                .body("report.policies[0].policy.policy-domain", is("company-y.example"))
                // a string in the file, always an array here
                .body("report.policies[0].policy.mx-host", contains("*.mail.company-y.example"))
                .body("report.policies[0].summary.total-successful-session-count", is(5326))
                .body("report.policies[0].summary.total-failure-session-count", is(303))
                .body("report.policies[0].failure-details.failed-session-count", contains(100, 200, 3))
                .body("report.policies[0].failure-details[1].receiving-ip", is("203.0.113.56"))
                .body("report.policies[0].failure-details[0].receiving-ip", nullValue())
                .body("attributed-domains", contains((String) null));
    }

    @Test
    void zonelessMicrosoftDatesReadBackInUtcWithAZone() throws Exception {
        // The .eml's attachment is what ingest would submit; here its JSON twin, zone-less as Microsoft sends it.
        String json = """
                {"organization-name":"Microsoft Corporation","date-range":{"start-datetime":"2023-01-10T00:00:00",
                "end-datetime":"2023-01-10T23:59:59"},"contact-info":"tlsrpt-noreply@microsoft.com",
                "report-id":"133198585438131172+zoneless.example","policies":[{"policy":{"policy-type":"sts",
                "policy-string":["version: STSv1"],"policy-domain":"zoneless.example"},
                "summary":{"total-successful-session-count":2,"total-failure-session-count":0}}]}""";
        long id = Reports.store(json.getBytes());
        given().header("Authorization", ADMIN).when().get("/api/v1/reports/" + id).then().statusCode(200)
                .body("report.date-range.start-datetime", is("2023-01-10T00:00:00Z"))
                .body("report.date-range.end-datetime", is("2023-01-10T23:59:59Z"))
                .body("report.policies[0].policy.mx-host.size()", is(0));
    }

    @Test
    void theRawPayloadIsReturnedExactlyAsReceived() throws Exception {
        byte[] json = Samples.read("cry-inc_dmarc-report-viewer__microsoft.json");
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(json);
        }
        long id = Reports.store(gzip.toByteArray());
        byte[] raw = given().header("Authorization", ADMIN).when().get("/api/v1/reports/" + id + "/raw")
                .then().statusCode(200).contentType("application/gzip")
                .header("Content-Disposition", "attachment; filename=\"report-" + id + ".json.gz\"")
                .header("X-Content-Type-Options", "nosniff")
                .extract().asByteArray();
        assertThat(raw).isEqualTo(gzip.toByteArray());
    }

    @Test
    void theListFiltersByDomainAndPeriodAndPages() {
        Reports.store(Reports.daily("Lister A", "list-1", "list.example", 3, 10, 0, null, "mx.list.example"));
        Reports.store(Reports.daily("Lister B", "list-2", "list.example", 2, 10, 1, "certificate-expired", "mx.list.example"));
        Reports.store(Reports.daily("Lister C", "list-3", "elsewhere.example", 2, 10, 0, null, "mx.elsewhere.example"));

        JsonPath page0 = given().header("Authorization", ADMIN)
                .queryParam("domain", "LIST.example").queryParam("size", 1)
                .when().get("/api/v1/reports").then().statusCode(200).extract().jsonPath();
        assertThat(page0.getLong("total")).isEqualTo(2);
        assertThat(page0.getList("items.report-id")).containsExactly("list-2"); // newest period first
        assertThat(page0.getString("items[0].channel")).isEqualTo("https");
        assertThat(page0.getLong("items[0].total-failure-session-count")).isEqualTo(1);
        assertThat(page0.getList("items[0].policy-domains")).containsExactly("list.example");

        JsonPath page1 = given().header("Authorization", ADMIN).queryParam("domain", "list.example")
                .queryParam("size", 1).queryParam("page", 1)
                .when().get("/api/v1/reports").then().statusCode(200).extract().jsonPath();
        assertThat(page1.getList("items.report-id")).containsExactly("list-1");

        String from = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .minus(java.time.Duration.ofDays(2)).toString();
        JsonPath recent = given().header("Authorization", ADMIN).queryParam("domain", "list.example")
                .queryParam("from", from).when().get("/api/v1/reports").then().statusCode(200).extract().jsonPath();
        assertThat(recent.getList("items.report-id")).containsExactly("list-2");
    }

    @Test
    void badPagingIsAProblemNamingTheParameter() {
        given().header("Authorization", ADMIN).queryParam("size", 0).when().get("/api/v1/reports")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", is("size"));
    }

    @Test
    void anUnknownReportIsNotFound() {
        given().header("Authorization", ADMIN).when().get("/api/v1/reports/987654321")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", ADMIN).when().get("/api/v1/reports/987654321/raw").then().statusCode(404);
    }
}
