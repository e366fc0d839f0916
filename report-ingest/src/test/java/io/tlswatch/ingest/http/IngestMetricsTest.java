package io.tlswatch.ingest.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tlswatch.tlsrpt.Samples;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IngestMetricsTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void outcomesBytesParseAndCommitTimesAreExported() {
        byte[] report = new String(Samples.read("cry-inc_dmarc-report-viewer__google.json"), StandardCharsets.UTF_8)
                .replace("_domain.de", "_metrics.example").getBytes(StandardCharsets.UTF_8);
        given().contentType("application/tlsrpt+json").body(report).post("/v1/tlsrpt").then().statusCode(201);
        given().contentType("application/tlsrpt+json").body(report).post("/v1/tlsrpt").then().statusCode(200);
        given().contentType("application/tlsrpt+json").body("{}").post("/v1/tlsrpt").then().statusCode(400);
        given().accept("text/plain").when().get(metrics).then().statusCode(200)
                .body(containsString("tlswatch_ingest_reports_total{channel=\"https\",outcome=\"stored\""))
                .body(containsString("tlswatch_ingest_reports_total{channel=\"https\",outcome=\"duplicate\""))
                .body(containsString("tlswatch_ingest_reports_total{channel=\"https\",outcome=\"invalid\",reason=\"not-a-report\""))
                .body(containsString("tlswatch_ingest_received_bytes_count{channel=\"https\""))
                .body(containsString("tlswatch_ingest_parse_seconds_count{channel=\"https\""))
                .body(containsString("tlswatch_ingest_commit_seconds_count{channel=\"https\""));
    }
}
