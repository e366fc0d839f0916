package io.tlswatch.alert;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tlswatch.alert.testing.StubReportStore;

/** Health and metrics on the management port; ready only while report-store answers. */
@QuarkusTest
class HealthTest {

    // Management URLs are relative to the management root path, /q.
    @TestHTTPResource(value = "health/live", management = true)
    URL liveness;

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void livenessAndReadinessAnswerUpOnTheManagementPort() {
        for (URL probe : new URL[] { liveness, readiness }) {
            // Readiness pings report-store (a stub here) with a 2 s timeout, which a loaded machine can
            // exceed once; what this asserts is that the probe comes up, as Kubernetes would retry it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get(probe)
                    .then().statusCode(200)
                    .contentType(ContentType.JSON)
                    .body("status", is("UP")));
        }
    }

    @Test
    void notReadyWhileReportStoreDoesNotAnswer() {
        StubReportStore.reset();
        StubReportStore.fail("GET /internal/v1/ping", 1);
        given().when().get(readiness)
                .then().statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'report-store' }.status", is("DOWN"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get(readiness).then().statusCode(200).body("status", is("UP")));
    }

    @Test
    void metricsAreServedInPrometheusFormatOnTheManagementPort() {
        given().accept(ContentType.TEXT).when().get(metrics)
                .then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("# TYPE jvm_threads_live_threads gauge"));
    }

    @Test
    void healthAndMetricsAreNotServedOnThePublicPort() {
        // RestAssured's default port is the public (HTTP) test port.
        for (String path : new String[] { "/q/health", "/q/health/live", "/q/health/ready", "/q/metrics" }) {
            given().when().get(path).then().statusCode(404);
        }
    }
}
