package io.tlswatch.ingest.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.tlswatch.tlsrpt.Samples;
import io.tlswatch.ingest.testing.StubReportStore;
import io.tlswatch.ingest.testing.StubReportStore.Mode;
import io.tlswatch.tlsrpt.TlsRptParser;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class TlsRptEndpointTest {

    @TestHTTPResource("/v1/tlsrpt")
    URL endpoint;

    @TestHTTPResource(value = "health/live", management = true)
    URL liveness;

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @AfterEach
    void storeBackToNormal() {
        StubReportStore.mode(Mode.OK);
        circuitBreakers.resetAll();
    }

    static Response post(String contentType, byte[] body) {
        return given().contentType(contentType).body(body).when().post("/v1/tlsrpt");
    }

    static List<String> jsonSamples() {
        return Samples.named(".json").stream().filter(n -> !n.equals("stalwartlabs_mail-auth__rpt03.json")).toList();
    }

    @ParameterizedTest
    @MethodSource("jsonSamples")
    void everySampleIsStoredOnceAsGzipAndIsADuplicateAsJson(String name) {
        byte[] json = Samples.read(name);
        String reportId = TlsRptParser.withDefaults().parse(json).reportId();
        long id = post("application/tlsrpt+gzip", Samples.gzip(json)).then().statusCode(201)
                .body("duplicate", is(false)).extract().jsonPath().getLong("id");
        post("application/tlsrpt+json", json).then().statusCode(200)
                .body("duplicate", is(true)).body("id", is((int) id));
        assertThat(StubReportStore.stored()).filteredOn(s -> Arrays.equals(s.payload(), Samples.gzip(json))
                || TlsRptParser.withDefaults().parse(s.payload()).reportId().equals(reportId)).hasSize(1)
                .allSatisfy(s -> assertThat(s.channel()).isEqualTo("https"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/tlsrpt+gzip", "application/tlsrpt+json", "application/json",
            "application/gzip", "application/octet-stream"})
    void everyAcceptedMediaTypeIsReadByContentNotByLabel(String mediaType) {
        // gzip sent as +json and JSON as +gzip: the bytes decide (RFC 8460 §6.5).
        String json = new String(Samples.read("phi-ag_mta-sts-exporter__google.json"), StandardCharsets.UTF_8)
                .replace("2024-02-17T00:00:00Z_example.com", "media-" + mediaType);
        byte[] body = mediaType.contains("json") ? Samples.gzip(json.getBytes(StandardCharsets.UTF_8))
                : json.getBytes(StandardCharsets.UTF_8);
        post(mediaType, body).then().statusCode(201);
    }

    @Test
    void anotherMediaTypeIs415Problem() {
        post("text/plain", Samples.read("phi-ag_mta-sts-exporter__google.json"))
                .then().statusCode(415).contentType("application/problem+json").body("status", is(415));
    }

    @Test
    void aReportMissingFieldsIs400NamingThem() {
        post("application/tlsrpt+json", Samples.read("stalwartlabs_mail-auth__rpt03.json"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("policies[1].policy.policy-type: unknown value"))
                .body("errors[0].field", is("policies[0].summary.total-failure-session-count"));
    }

    @Test
    void garbageAndTruncatedGzipAre400() {
        post("application/tlsrpt+gzip", "hello".getBytes()).then().statusCode(400)
                .body("detail", containsString("neither gzip"));
        byte[] gzip = Samples.gzip(Samples.read("phi-ag_mta-sts-exporter__google.json"));
        post("application/tlsrpt+gzip", Arrays.copyOf(gzip, gzip.length / 2)).then().statusCode(400)
                .body("detail", containsString("truncated gzip"));
    }

    @Test
    void aGzipBombIs413() {
        byte[] spaces = new byte[20 * 1024 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        spaces[0] = '{';
        post("application/tlsrpt+gzip", Samples.gzip(spaces)).then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("inflates past the limit"));
    }

    @Test
    void aBodyOverTheLimitIs413WithoutBeingRead() {
        byte[] big = new byte[3 * 1024 * 1024]; // the test limit is 2 MiB
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        post("application/tlsrpt+json", big).then().statusCode(413);
    }

    @Test
    void expect100ContinueIsHonoured() throws Exception {
        byte[] json = new String(Samples.read("cry-inc_dmarc-report-viewer__google.json"), StandardCharsets.UTF_8)
                .replace("_domain.de", "_expect-continue.example").getBytes(StandardCharsets.UTF_8);
        // HTTP/1.1 as senders use it (sys4 tlsrpt-reporter: curl, Expect: 100-continue over 1 MiB).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint.toURI())
                .expectContinue(true).header("Content-Type", "application/tlsrpt+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);

        HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(endpoint.toURI())
                .expectContinue(true).header("Content-Type", "application/tlsrpt+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3 * 1024 * 1024])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooBig.statusCode()).isEqualTo(413);
    }

    @Test
    void whenTheStoreFailsTheSenderGets503WithRetryAfterAndNothingIsAcknowledged() {
        byte[] json = uniqueReport("store-500");
        StubReportStore.mode(Mode.ERROR_500);
        post("application/tlsrpt+json", json).then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "60");
        StubReportStore.mode(Mode.OK);
        circuitBreakers.resetAll();
        post("application/tlsrpt+json", json).then().statusCode(201); // the sender's retry
    }

    @Test
    void whenTheStoreHangsTheSenderGets503InsteadOfWaiting() {
        StubReportStore.mode(Mode.SLOW);
        post("application/tlsrpt+json", uniqueReport("store-slow")).then().statusCode(503);
        given().when().get(liveness).then().statusCode(200);
    }

    @Test
    void whenTheStoreIsAbsentTheSenderGets503AndIngestIsNotReady() {
        StubReportStore.mode(Mode.ABSENT);
        post("application/tlsrpt+json", uniqueReport("store-absent")).then().statusCode(503);
        given().when().get(readiness).then().statusCode(503).body("status", is("DOWN"));
        given().when().get(liveness).then().statusCode(200).body("status", is("UP"));
        StubReportStore.mode(Mode.OK);
        given().when().get(readiness).then().statusCode(200).body("status", is("UP"));
    }

    static byte[] uniqueReport(String id) {
        return new String(Samples.read("domainaware_parsedmarc__rfc8460.json"), StandardCharsets.UTF_8)
                .replace("5065427c-23d3-47ca-b6e0-946ea0e8c4be", id + "-" + System.nanoTime())
                .getBytes(StandardCharsets.UTF_8);
    }
}
