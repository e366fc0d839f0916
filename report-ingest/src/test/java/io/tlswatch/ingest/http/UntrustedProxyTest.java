package io.tlswatch.ingest.http;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tlswatch.tlsrpt.Samples;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client cannot escape its bucket by sending X-Forwarded-For when it is not a trusted proxy. */
@QuarkusTest
@TestProfile(UntrustedProxyTest.ProxyElsewhere.class)
class UntrustedProxyTest {

    public static class ProxyElsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlswatch.ingest.rate-limit.requests-per-second", "0.001",
                    "tlswatch.ingest.rate-limit.burst", "2",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "10.0.0.1");
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        byte[] report = Samples.read("cry-inc_dmarc-report-viewer__google.json");
        for (String claimed : new String[] {"192.0.2.1", "192.0.2.2"}) {
            given().header("X-Forwarded-For", claimed).contentType("application/tlsrpt+json").body(report)
                    .when().post("/v1/tlsrpt").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        }
        given().header("X-Forwarded-For", "192.0.2.3").contentType("application/tlsrpt+json").body(report)
                .when().post("/v1/tlsrpt").then().statusCode(429);
    }
}
