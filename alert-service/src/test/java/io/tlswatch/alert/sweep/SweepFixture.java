package io.tlswatch.alert.sweep;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.tlswatch.alert.testing.MailServer;
import io.tlswatch.alert.testing.StubReportStore;
import io.tlswatch.alert.testing.TestClock;

/** What every sweep test starts from, and how it runs a sweep: through the API, as an operator would. */
final class SweepFixture {

    static final String ADMIN = "Bearer test-admin-token";

    private SweepFixture() {
    }

    /** An empty report-store, an empty mail server, the clock at its start, and a replica that just started. */
    static void fresh(SweepState state) throws Exception {
        StubReportStore.reset();
        MailServer.up();
        MailServer.clear();
        TestClock.reset();
        state.reset();
        CircuitBreakerMaintenance.get().resetAll();
    }

    /** POST /api/v1/sweeps; the answer. */
    static JsonPath sweep() {
        return given().header("Authorization", ADMIN).when().post("/api/v1/sweeps")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }
}
