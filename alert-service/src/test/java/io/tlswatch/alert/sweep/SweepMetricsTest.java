package io.tlswatch.alert.sweep;

import static io.restassured.RestAssured.given;
import static io.tlswatch.alert.sweep.SweepFixture.sweep;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tlswatch.alert.testing.MailServer;
import io.tlswatch.alert.testing.StubReportStore;
import io.tlswatch.alert.testing.TestClock;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Prometheus sees of the sweep: counts per outcome, durations, and the age an operator alerts on. */
@QuarkusTest
class SweepMetricsTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Inject
    SweepState state;

    @BeforeEach
    void fresh() throws Exception {
        SweepFixture.fresh(state);
    }

    @Test
    void sweepsAndTheirOutcomesAreCountedAndTheOldestUnhandledEventAges() throws Exception {
        double sweeps = metric("tlswatch_alert_sweeps_total{outcome=\"ok\"}");
        double sent = metric("tlswatch_alert_sent_total");
        double failed = metric("tlswatch_alert_failed_total");
        double retried = metric("tlswatch_alert_retried_total");
        double suppressed = metric("tlswatch_alert_suppressed_total");
        double noRecipients = metric("tlswatch_alert_no_recipients_total");
        assertThat(metric("tlswatch_alert_oldest_unhandled_age_seconds")).isZero();

        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.domain(StubReportStore.organisation("Quiet Org"), "example.com");
        StubReportStore.receiveSample("company-y.example", "domainaware_parsedmarc__rfc8460.json");
        StubReportStore.receiveSample("example.com", "domainaware_parsedmarc__mail.ru.json");
        MailServer.down();
        sweep();

        assertThat(metric("tlswatch_alert_failed_total")).isEqualTo(failed + 1);
        assertThat(metric("tlswatch_alert_no_recipients_total")).isEqualTo(noRecipients + 1);
        assertThat(metric("tlswatch_alert_pending_domains")).isEqualTo(1);
        // The failed domain's event is not handled for good: its age grows with time, between sweeps too.
        TestClock.advance(Duration.ofSeconds(90));
        assertThat(metric("tlswatch_alert_oldest_unhandled_age_seconds")).isEqualTo(90);

        MailServer.up();
        sweep();
        assertThat(metric("tlswatch_alert_sent_total")).isEqualTo(sent + 1);
        assertThat(metric("tlswatch_alert_retried_total")).isEqualTo(retried + 1);
        assertThat(metric("tlswatch_alert_oldest_unhandled_age_seconds")).isZero();
        assertThat(metric("tlswatch_alert_pending_domains")).isZero();

        StubReportStore.receiveSample("company-y.example", "domainaware_parsedmarc__rfc8460.json");
        sweep();
        assertThat(metric("tlswatch_alert_suppressed_total")).isEqualTo(suppressed + 1);
        assertThat(metric("tlswatch_alert_sweeps_total{outcome=\"ok\"}")).isEqualTo(sweeps + 3);
        assertThat(metric("tlswatch_alert_sweep_duration_seconds_count")).isPositive();
    }

    @Test
    void unreadEventsAgeToo() throws Exception {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        sweep();
        StubReportStore.receiveSample("company-y.example", "domainaware_parsedmarc__rfc8460.json");
        StubReportStore.fail("GET /internal/v1/failure-events", 3);
        given().header("Authorization", SweepFixture.ADMIN).post("/api/v1/sweeps").then().statusCode(503);

        // The last page that was read said nothing was pending; the next successful read tells the truth.
        TestClock.advance(Duration.ofMinutes(2));
        StubReportStore.fail("POST /internal/v1/alerts/claims", 1);
        sweep();
        assertThat(metric("tlswatch_alert_oldest_unhandled_age_seconds")).isEqualTo(120);
        sweep();
        assertThat(metric("tlswatch_alert_oldest_unhandled_age_seconds")).isZero();
    }

    private double metric(String name) {
        String body = given().accept(ContentType.TEXT).get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.E+-]+)$").matcher(body);
        if (name.contains("{")) {
            m = Pattern.compile("(?m)^" + Pattern.quote(name.substring(0, name.indexOf('{'))) + "\\{[^}]*"
                    + Pattern.quote(name.substring(name.indexOf('{') + 1, name.length() - 1)) + "[^}]*\\} ([0-9.E+-]+)$")
                    .matcher(body);
        }
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
