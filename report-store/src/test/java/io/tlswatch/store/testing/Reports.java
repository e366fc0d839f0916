package io.tlswatch.store.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

/** Submitting reports the way report-ingest does, and building small reports for a given day. */
public final class Reports {

    public static final String INTERNAL = "Bearer test-internal-token";
    public static final String ADMIN = "Bearer test-admin-token";

    private Reports() {
    }

    public static Response submit(String channel, byte[] payload) {
        return given().header("Authorization", INTERNAL).contentType(ContentType.JSON)
                .body(Map.of("channel", channel, "received-at", Instant.now().toString(),
                        "payload", Base64.getEncoder().encodeToString(payload)))
                .when().post("/internal/v1/reports");
    }

    /** Stores a report and returns its id. */
    public static long store(byte[] payload) {
        return submit("https", payload).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /**
     * A one-policy STS report for {@code domain} covering the UTC day that starts {@code daysAgo} days
     * before today, with one failure detail when {@code failed > 0}.
     */
    public static byte[] daily(String reporter, String reportId, String domain, int daysAgo, long successful,
            long failed, String resultType, String mxHost) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(daysAgo, ChronoUnit.DAYS);
        String details = failed == 0 ? "" : """
                , "failure-details": [{"result-type": "%s", "sending-mta-ip": "192.0.2.10",
                  "receiving-mx-hostname": "%s", "receiving-ip": "198.51.100.25", "failed-session-count": %d}]
                """.formatted(resultType, mxHost, failed);
        return """
                {"organization-name": "%s", "report-id": "%s", "contact-info": "tlsrpt@%s",
                 "date-range": {"start-datetime": "%s", "end-datetime": "%s"},
                 "policies": [{"policy": {"policy-type": "sts", "policy-domain": "%s",
                                "policy-string": ["version: STSv1", "mode: enforce", "mx: %s", "max_age: 86400"],
                                "mx-host": ["%s"]},
                               "summary": {"total-successful-session-count": %d, "total-failure-session-count": %d}
                               %s}]}
                """.formatted(reporter, reportId, reporter.toLowerCase().replace(' ', '-') + ".example",
                start, start.plus(1, ChronoUnit.DAYS).minusSeconds(1), domain, mxHost, mxHost, successful, failed,
                details).getBytes(StandardCharsets.UTF_8);
    }
}
