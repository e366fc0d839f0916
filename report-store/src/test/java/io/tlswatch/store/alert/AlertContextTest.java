package io.tlswatch.store.alert;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.alert.Fixtures.INTERNAL;
import static io.tlswatch.store.alert.Fixtures.detail;
import static io.tlswatch.store.alert.Fixtures.policy;
import static io.tlswatch.store.alert.Fixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tlswatch.tlsrpt.Samples;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert text's numbers come from the reports as submitted: RFC 8460's own example (company-y.example,
 * read from the samples as it is) and a second reporter's report built here; the expected figures are
 * read back from those very payloads.
 */
@QuarkusTest
@TestProfile(FreshDatabase.class)
class AlertContextTest {

    static final String DOMAIN = "company-y.example";
    static final Map<String, String> PERIOD = Map.of("since", "2016-03-28T00:00:00Z", "until", "2016-04-04T00:00:00Z");

    static byte[] rfcExample;
    static byte[] secondReporter;
    static long organisation;
    static boolean stored;

    @BeforeAll
    static void payloads() {
        rfcExample = Samples.read("domainaware_parsedmarc__rfc8460.json");
        secondReporter = report("Reporter Two", Instant.parse("2016-04-02T00:00:00Z"),
                policy(DOMAIN, 1000,
                        detail("certificate-expired", "mx1.mail.company-y.example.", "203.0.113.55", 10),
                        detail("tlsa-invalid", "MX2.mail.company-y.example", "203.0.113.56", 5)),
                policy("other-" + Fixtures.uniqueDomain(), 7, detail("certificate-expired", "mx.other.example", null, 99)));
    }

    /** Registers the domain, then submits the reports (once for the class: the database is its own). */
    static synchronized void storeOnce() {
        if (stored) {
            return;
        }
        organisation = Fixtures.organisation("Company Y");
        Fixtures.domain(organisation, DOMAIN, true);
        Fixtures.recipient(organisation, "Zed@ops.company-y.example");
        Fixtures.recipient(organisation, "alerts@company-y.onmicrosoft.example");
        String neighbour = Fixtures.uniqueDomain();
        Fixtures.domain(Fixtures.organisation("Neighbour"), neighbour, true);

        Fixtures.submit(rfcExample);
        Fixtures.submit(secondReporter);
        // Outside the period, and another organisation's domain inside it: neither is counted.
        Fixtures.submit(report("Reporter Three", Instant.parse("2016-04-10T00:00:00Z"),
                policy(DOMAIN, 1, detail("certificate-expired", "mx1.mail.company-y.example", null, 1000))));
        Fixtures.submit(report("Reporter Four", Instant.parse("2016-04-01T00:00:00Z"),
                policy(neighbour, 1, detail("certificate-expired", "mx." + neighbour, null, 2000))));
        stored = true;
    }

    static JsonPath context(String domain, Map<String, String> query) {
        return given().header("Authorization", INTERNAL).queryParams(query)
                .when().get("/internal/v1/domains/" + domain + "/alert-context")
                .then().statusCode(200).extract().jsonPath();
    }

    /** What the submitted payloads say about DOMAIN, summed the way the summary is. */
    static final class Expected {
        long reports;
        long successful;
        long failed;
        final Map<String, Long> byResultType = new TreeMap<>();
        final Map<String, Long> byMxHost = new TreeMap<>();
        final Map<String, Long> byReceivingIp = new TreeMap<>();
        final Map<String, Long> failedByReporter = new TreeMap<>();

        void add(byte[] payload) throws IOException {
            JsonNode report = new ObjectMapper().readTree(payload);
            reports++;
            long reportFailed = 0;
            for (JsonNode policy : report.get("policies")) {
                if (!policy.at("/policy/policy-domain").asText().equals(DOMAIN)) {
                    continue;
                }
                successful += policy.at("/summary/total-successful-session-count").asLong();
                reportFailed += policy.at("/summary/total-failure-session-count").asLong();
                for (JsonNode detail : policy.get("failure-details")) {
                    long count = detail.get("failed-session-count").asLong();
                    byResultType.merge(detail.get("result-type").asText(), count, Long::sum);
                    String mx = detail.get("receiving-mx-hostname").asText().toLowerCase().replaceAll("\\.$", "");
                    byMxHost.merge(mx, count, Long::sum);
                    if (detail.has("receiving-ip")) {
                        byReceivingIp.merge(detail.get("receiving-ip").asText(), count, Long::sum);
                    }
                }
            }
            failed += reportFailed;
            failedByReporter.merge(report.get("organization-name").asText(), reportFailed, Long::sum);
        }
    }

    static Map<String, Long> counts(JsonPath context, String list, String key) {
        Map<String, Long> counts = new TreeMap<>();
        List<Map<String, Object>> items = context.getList("summary." + list);
        for (Map<String, Object> item : items) {
            counts.put((String) item.get(key), ((Number) item.get("failed-sessions")).longValue());
        }
        return counts;
    }

    @Test
    void theSummaryEqualsWhatTheSubmittedReportsSay() throws IOException {
        storeOnce();
        Expected expected = new Expected();
        expected.add(rfcExample);
        expected.add(secondReporter);

        JsonPath context = context(DOMAIN, PERIOD);
        assertThat(context.getLong("summary.reports")).isEqualTo(expected.reports).isEqualTo(2);
        assertThat(context.getLong("summary.successful-sessions")).isEqualTo(expected.successful);
        assertThat(context.getLong("summary.failed-sessions")).isEqualTo(expected.failed);
        assertThat(counts(context, "result-types", "result-type")).isEqualTo(expected.byResultType);
        assertThat(counts(context, "receiving-mx-hostnames", "hostname")).isEqualTo(expected.byMxHost);
        assertThat(counts(context, "receiving-ips", "ip")).isEqualTo(expected.byReceivingIp);
        assertThat(counts(context, "reporters", "organization-name")).isEqualTo(expected.failedByReporter);
        assertThat(context.getList("summary.reporters.reports", Integer.class)).containsOnly(1);
        // Largest first.
        assertThat(context.getList("summary.result-types.result-type"))
                .startsWith("starttls-not-supported", "certificate-expired");
    }

    @Test
    void theRfcExampleAloneGivesItsOwnFigures() {
        storeOnce();
        JsonPath context = context(DOMAIN, Map.of("since", "2016-04-01T00:00:00Z", "until", "2016-04-02T00:00:00Z"));
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("certificate-expired", 100L);
        expected.put("starttls-not-supported", 200L);
        expected.put("validation-failure", 3L);
        assertThat(counts(context, "result-types", "result-type")).isEqualTo(new TreeMap<>(expected));
        assertThat(context.getLong("summary.failed-sessions")).isEqualTo(303);
        assertThat(context.getLong("summary.successful-sessions")).isEqualTo(5326);
        assertThat(context.getMap("summary.date-range")).isEqualTo(Map.of(
                "start-datetime", "2016-04-01T00:00:00Z", "end-datetime", "2016-04-01T23:59:59Z"));
        assertThat(counts(context, "receiving-mx-hostnames", "hostname")).isEqualTo(Map.of(
                "mx1.mail.company-y.example", 100L, "mx2.mail.company-y.example", 200L,
                "mx-backup.mail.company-y.example", 3L));
        assertThat(counts(context, "reporters", "organization-name")).isEqualTo(Map.of("Company-X", 303L));
        Map<String, Object> policy = context.getMap("summary.policies[0]");
        assertThat(policy).containsEntry("policy-type", "sts").containsEntry("policy-domain", DOMAIN)
                .containsEntry("mx-host", List.of("*.mail.company-y.example"))
                .containsEntry("policy-string", List.of("version: STSv1", "mode: testing",
                        "mx: *.mail.company-y.example", "max_age: 86400"))
                .containsEntry("reports", 1).containsEntry("failed-sessions", 303);
    }

    @Test
    void theContextNamesTheOrganisationAndItsRecipients() {
        storeOnce();
        JsonPath context = context(DOMAIN, PERIOD);
        assertThat(context.getMap("domain")).containsEntry("name", DOMAIN).containsEntry("tls-reporting-enabled", true);
        assertThat(context.getMap("organisation")).containsEntry("id", (int) organisation)
                .containsEntry("name", "Company Y");
        assertThat(context.getList("recipients"))
                .containsExactly("alerts@company-y.onmicrosoft.example", "Zed@ops.company-y.example");
        // By id too, and the period defaults to the suppression window before now: 2016 is long gone.
        long id = context.getLong("domain.id");
        JsonPath byId = context(Long.toString(id), Map.of());
        assertThat(byId.getLong("summary.reports")).isZero();
        assertThat(byId.getString("summary.date-range")).isNull();
        assertThat(byId.getList("summary.result-types")).isEmpty();
        assertThat(Instant.parse(byId.getString("summary.until")))
                .isEqualTo(Instant.parse(byId.getString("summary.since")).plus(java.time.Duration.ofDays(7)));
    }

    @Test
    void anUnknownDomainIsNotFoundAndABadPeriodIsRefused() {
        given().header("Authorization", INTERNAL).when()
                .get("/internal/v1/domains/" + Fixtures.uniqueDomain() + "/alert-context")
                .then().statusCode(404).contentType("application/problem+json");
        Map<String, Object> backwards = new HashMap<>(Map.of("since", "2016-04-04T00:00:00Z", "until", "2016-03-28T00:00:00Z"));
        given().header("Authorization", INTERNAL).queryParams(backwards).when()
                .get("/internal/v1/domains/" + DOMAIN + "/alert-context")
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("since"));
        given().header("Authorization", INTERNAL).queryParam("until", "yesterday").when()
                .get("/internal/v1/domains/" + DOMAIN + "/alert-context")
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("until"));
    }
}
