package io.tlswatch.alert.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tlswatch.alert.testing.Mails;
import io.tlswatch.alert.testing.MailServer;
import io.tlswatch.alert.testing.StubReportStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nobody has to ask: the sweep runs on its own every tlswatch.alert.sweep-interval. */
@QuarkusTest
@TestProfile(ScheduledSweepTest.EverySecond.class)
class ScheduledSweepTest {

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true", "tlswatch.alert.sweep-interval", "1s");
        }
    }

    @Inject
    SweepState state;

    @BeforeEach
    void fresh() throws Exception {
        SweepFixture.fresh(state);
    }

    @Test
    void aFailureIsAlertedByTheScheduledSweepAlone() {
        long org = StubReportStore.organisation("Company Y", "alerts@company-y.onmicrosoft.com");
        StubReportStore.domain(org, "company-y.example");
        StubReportStore.receiveSample("company-y.example", "domainaware_parsedmarc__rfc8460.json");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertThat(MailServer.inbox("alerts@company-y.onmicrosoft.com")).hasSize(1));
        assertThat(Mails.subject(MailServer.inbox("alerts@company-y.onmicrosoft.com").get(0)))
                .isEqualTo("TLS delivery failures reported for company-y.example");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> StubReportStore.cursor("alert-sweep") > 0);

        // Later sweeps keep running and send nothing more.
        int requests = StubReportStore.requests().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> StubReportStore.requests().size() > requests + 2);
        assertThat(MailServer.distinctMessages()).hasSize(1);
    }
}
