package io.tlswatch.store.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.tlsrpt.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StoreReportTest {

    /** A report no other test stores (test classes share one database). */
    static byte[] uniqueReport() {
        return Reports.daily("Dedup Sender", "dedup-" + java.util.UUID.randomUUID(), "dedup.example", 1, 5, 1,
                "certificate-expired", "mx.dedup.example");
    }

    @Test
    void aNewReportIsCreatedAndTheSameReportAgainIsADuplicateWithTheSameId() {
        byte[] payload = uniqueReport();
        Response first = Reports.submit("https", payload);
        first.then().statusCode(201).body("duplicate", org.hamcrest.Matchers.is(false));
        long id = first.jsonPath().getLong("id");

        Response second = Reports.submit("smtp", payload);
        second.then().statusCode(200).body("duplicate", org.hamcrest.Matchers.is(true));
        assertThat(second.jsonPath().getLong("id")).isEqualTo(id);
    }

    @Test
    void concurrentSubmissionsOverBothChannelsStoreTheReportOnce() throws Exception {
        byte[] payload = uniqueReport();
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String channel = i % 2 == 0 ? "https" : "smtp";
            Callable<Response> call = () -> {
                start.await();
                return Reports.submit(channel, payload);
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
        Reports.submit("https", "{\"organization-name\":\"x\"}".getBytes())
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("report-id: missing"));
    }

    @Test
    void anUnknownChannelIsRefused() {
        Reports.submit("carrier-pigeon", Samples.read("domainaware_parsedmarc__rfc8460.json"))
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("channel"));
    }
}
