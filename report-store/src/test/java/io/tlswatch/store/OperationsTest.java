package io.tlswatch.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.tlsrpt.Samples;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void readinessIncludesTheDatabaseCheck() {
        given().when().get(readiness).then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
    }

    @Test
    void storedDuplicateAndUnclaimedReportsAreCountedByChannel() {
        byte[] report = Samples.read("cry-inc_dmarc-report-viewer__no-contact.json");
        Reports.submit("smtp", report).then().statusCode(201);
        Reports.submit("smtp", report).then().statusCode(200);
        given().header("Authorization", Reports.ADMIN).when().get("/api/v1/domains").then().statusCode(200);
        given().accept("text/plain").when().get(metrics).then().statusCode(200)
                .body(containsString("tlswatch_reports_stored_total{channel=\"smtp\""))
                .body(containsString("tlswatch_reports_duplicate_total{channel=\"smtp\""))
                .body(containsString("tlswatch_reports_unclaimed_total{channel=\"smtp\""))
                // query latency per route comes from Quarkus' HTTP server metrics (label order is stable)
                .body(containsString("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/v1/domains\""));
    }
}
