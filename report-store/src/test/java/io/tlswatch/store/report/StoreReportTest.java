package io.tlswatch.store.report;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tlswatch.store.testing.Samples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StoreReportTest {

    static final String INTERNAL = "Bearer test-internal-token";

    static Map<String, Object> submission(String channel, byte[] payload) {
        return Map.of("channel", channel, "received-at", Instant.now().toString(),
                "payload", Base64.getEncoder().encodeToString(payload));
    }

    static Response submit(Map<String, Object> submission) {
        return given().header("Authorization", INTERNAL).contentType(ContentType.JSON).body(submission)
                .when().post("/internal/v1/reports");
    }

    @Test
    void aNewReportIsCreatedAndTheSameReportAgainIsADuplicateWithTheSameId() {
        byte[] payload = Samples.read("domainaware_parsedmarc__rfc8460.json");
        Response first = submit(submission("https", payload));
        first.then().statusCode(201).body("duplicate", org.hamcrest.Matchers.is(false));
        long id = first.jsonPath().getLong("id");

        Response second = submit(submission("smtp", payload));
        second.then().statusCode(200).body("duplicate", org.hamcrest.Matchers.is(true));
        assertThat(second.jsonPath().getLong("id")).isEqualTo(id);
    }

    @Test
    void concurrentSubmissionsOverBothChannelsStoreTheReportOnce() throws Exception {
        byte[] payload = Samples.read("domainaware_parsedmarc__mail.ru.json");
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String channel = i % 2 == 0 ? "https" : "smtp";
            Callable<Response> call = () -> {
                start.await();
                return submit(submission(channel, payload));
            };
            answers.add(pool.submit(call));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get();
            statuses.add(response.statusCode());
            ids.add(response.jsonPath().getLong("id"));
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void aPayloadThatIsNotAReportIsRefusedNamingTheField() {
        submit(submission("https", "{\"organization-name\":\"x\"}".getBytes()))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("report-id: missing"));
    }

    @Test
    void anUnknownChannelIsRefused() {
        submit(submission("carrier-pigeon", Samples.read("domainaware_parsedmarc__rfc8460.json")))
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("channel"));
    }
}
