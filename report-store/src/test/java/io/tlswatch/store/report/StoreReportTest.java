package io.tlswatch.store.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.store.testing.Sql;
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
    void everyPolicyKeepsItsOwnStringsHostsDomainAndDetailsInOrder() throws Exception {
        String registered = "order-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".example";
        Sql.organisationWithDomain("Order Org " + registered, registered, true);
        // Three policies: many details, none (and no strings or hosts), a few; claimed, unclaimed, claimed by a parent.
        int[] details = {20_000, 0, 7};
        String[] domains = {registered, "elsewhere-" + registered, "mx.deep." + registered};
        StringBuilder json = new StringBuilder("{\"organization-name\":\"Order Sender\",\"report-id\":\"order-"
                + registered + "\",\"date-range\":{\"start-datetime\":\"2026-03-01T00:00:00Z\","
                + "\"end-datetime\":\"2026-03-01T23:59:59Z\"},\"policies\":[");
        for (int p = 0; p < 3; p++) {
            json.append(p == 0 ? "" : ",").append("{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"")
                    .append(domains[p]).append('"');
            if (p != 1) {
                json.append(",\"policy-string\":[\"version: STSv1\",\"mode: enforce\",\"p").append(p)
                        .append("\"],\"mx-host\":[\"mx").append(p).append(".example\"]");
            }
            json.append("},\"summary\":{\"total-successful-session-count\":").append(p)
                    .append(",\"total-failure-session-count\":").append(details[p]).append('}');
            if (details[p] > 0) {
                json.append(",\"failure-details\":[");
                for (int d = 0; d < details[p]; d++) {
                    json.append(d == 0 ? "" : ",").append("{\"result-type\":\"certificate-expired\",")
                            .append("\"sending-mta-ip\":\"192.0.2.").append(p).append("\",")
                            .append("\"receiving-mx-hostname\":\"n").append(d).append(".example\",")
                            .append("\"failed-session-count\":1}");
                }
                json.append(']');
            }
            json.append('}');
        }
        long id = Reports.store(json.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));

        try (java.sql.Connection c = Sql.connect(); java.sql.Statement st = c.createStatement()) {
            List<String> policies = new ArrayList<>();
            try (java.sql.ResultSet rows = st.executeQuery("""
                    select p.ordinal, p.policy_domain, d.name, p.policy_strings::text, p.mx_hosts::text,
                        p.successful_sessions, p.failed_sessions, (select count(*) from failure_detail f where f.policy_id = p.id)
                    from report_policy p left join domain d on d.id = p.domain_id
                    where p.report_id = %d order by p.id""".formatted(id))) {
                while (rows.next()) {
                    policies.add(rows.getInt(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
                            + rows.getString(4) + " " + rows.getString(5) + " " + rows.getLong(6) + "/" + rows.getLong(7)
                            + " " + rows.getLong(8));
                }
            }
            assertThat(policies).containsExactly(
                    "0 " + registered + " " + registered + " {\"version: STSv1\",\"mode: enforce\",p0} {mx0.example} 0/20000 20000",
                    "1 elsewhere-" + registered + " null {} {} 1/0 0",
                    "2 mx.deep." + registered + " " + registered + " {\"version: STSv1\",\"mode: enforce\",p2} {mx2.example} 2/7 7");
            // Details in the report's order: by id, each policy's in turn, and within one in the array's order.
            try (java.sql.ResultSet rows = st.executeQuery("""
                    select string_agg(f.sending_mta_ip || ' ' || f.receiving_mx_hostname, ',' order by f.id)
                    from failure_detail f join report_policy p on p.id = f.policy_id where p.report_id = %d""".formatted(id))) {
                rows.next();
                List<String> expected = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    for (int d = 0; d < details[p]; d++) {
                        expected.add("192.0.2." + p + " n" + d + ".example");
                    }
                }
                assertThat(rows.getString(1)).isEqualTo(String.join(",", expected));
            }
        }
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
