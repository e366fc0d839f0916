package io.tlswatch.ingest.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tlswatch.tlsrpt.Samples;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three reports at once per client, then one every 1,000 s (so a slow machine cannot refill a token
 * while the test runs). Behind a proxy, X-Forwarded-For names the
 * client only when the proxy is trusted: here 127.0.0.1 is, so each forwarded address has its own bucket.
 */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimit.class)
class RateLimitTest {

    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlswatch.ingest.rate-limit.requests-per-second", "0.001",
                    "tlswatch.ingest.rate-limit.burst", "3",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    private static io.restassured.response.Response post(String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor).contentType("application/tlsrpt+json")
                .body(Samples.read("cry-inc_dmarc-report-viewer__google.json")).when().post("/v1/tlsrpt");
    }

    @Test
    void aClientOverItsBurstGets429WithRetryAfterWhileOthersAreServed() {
        for (int i = 0; i < 3; i++) {
            post("192.0.2.1").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        }
        int retryAfter = Integer.parseInt(post("192.0.2.1").then().statusCode(429)
                .contentType("application/problem+json").body("detail", containsString("192.0.2.1"))
                .extract().header("Retry-After"));
        // The seconds until the bucket holds a token again: at most 1 / rate.
        org.assertj.core.api.Assertions.assertThat(retryAfter).isBetween(1, 1000);
        // another client behind the same trusted proxy has its own bucket
        post("198.51.100.9").then().statusCode(is(200));
    }
}
