package io.tlswatch.tlsrpt.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.tlsrpt.DateRange;
import io.tlswatch.tlsrpt.TlsRptJson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared records against what report-store really answers: the documents in
 * {@code src/test/resources/alerting} were captured from report-store's own routes (its AlertContextTest
 * data: RFC 8460's example report and a second reporter for company-y.example; then a claim, its sent
 * outcome, a cursor move) before the records moved here, when each service still had its own copy.
 * Each one is read strictly (an unknown field fails), so the record carries every field report-store
 * sends, and written again to the same JSON, so no name or null changed on the way.
 */
class ReportStoreAnswersTest {

    private static final ObjectMapper STRICT = TlsRptJson.mapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void theAlertContextReadsWithEveryBreakdownAndWritesBackUnchanged() throws IOException {
        AlertContext context = roundTrip("alert-context.json", AlertContext.class);

        assertThat(context.domain()).isEqualTo(new AlertContext.Domain(1, "company-y.example", true));
        assertThat(context.recipients()).containsExactly("alerts@company-y.onmicrosoft.example",
                "Zed@ops.company-y.example");
        AlertContext.Summary summary = context.summary();
        assertThat(summary.failedSessions()).isEqualTo(318);
        assertThat(summary.dateRange()).isEqualTo(new DateRange(Instant.parse("2016-04-01T00:00:00Z"),
                Instant.parse("2016-04-02T23:59:59Z")));
        assertThat(summary.resultTypes()).first()
                .isEqualTo(new AlertContext.ResultType("starttls-not-supported", 200));
        assertThat(summary.receivingMxHostnames()).extracting(AlertContext.MxHost::hostname)
                .containsExactly("mx2.mail.company-y.example", "mx1.mail.company-y.example",
                        "mx-backup.mail.company-y.example");
        assertThat(summary.receivingIps()).hasSize(3);
        assertThat(summary.reporters()).extracting(AlertContext.Reporter::organizationName)
                .containsExactly("Company-X", "Reporter Two");
        assertThat(summary.policies()).first().satisfies(policy -> {
            assertThat(policy.policyDomain()).isEqualTo("company-y.example");
            assertThat(policy.mxHost()).containsExactly("*.mail.company-y.example");
        });
    }

    @Test
    void aFailureEventPageReadsWithItsEventsAndWritesBackUnchanged() throws IOException {
        FailureEventPage page = roundTrip("failure-events.json", FailureEventPage.class);

        assertThat(page.nextCursor()).isEqualTo(755);
        assertThat(page.more()).isFalse();
        assertThat(page.events()).hasSize(4);
        FailureEvent first = page.events().get(0);
        assertThat(first.xid()).isEqualTo(752);
        assertThat(first.domainId()).isEqualTo(1);
        assertThat(first.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        assertThat(first.dateRange().end()).isEqualTo(Instant.parse("2016-04-01T23:59:59Z"));
        assertThat(first.failedSessions()).isEqualTo(303);
    }

    @Test
    void aClaimItsSentOutcomeAndACursorReadAndWriteBackUnchanged() throws IOException {
        Claim claim = roundTrip("claim.json", Claim.class);
        assertThat(claim.claim()).isEqualTo(UUID.fromString("08418f36-09e9-4fb9-8eba-4978bf087ecf"));
        assertThat(claim.leaseExpiresAt()).isEqualTo(Instant.parse("2026-12-05T03:11:39.199270Z"));

        AlertView sent = roundTrip("sent.json", AlertView.class);
        assertThat(sent.status()).isEqualTo("sent");
        assertThat(sent.suppressedUntil()).isEqualTo(Instant.parse("2026-12-12T03:06:39.286233Z"));
        assertThat(sent.retryAt()).isNull();
        assertThat(sent.failedSessions()).isEqualTo(303L);

        assertThat(roundTrip("cursor.json", Cursor.class).position()).isEqualTo(5);
    }

    /** The bodies as alert-service sent them when it had its own records: absent values left out. */
    @Test
    void alertServiceRequestBodiesLeaveOutWhatTheyDoNotSay() throws IOException {
        String token = "08418f36-09e9-4fb9-8eba-4978bf087ecf";

        assertThat(json(AlertRequests.ClaimRequest.byId(42))).isEqualTo(tree("{\"domain-id\":42}"));
        assertThat(json(new AlertRequests.Failed(token, "421 try later", null)))
                .isEqualTo(tree("{\"claim\":\"" + token + "\",\"error\":\"421 try later\"}"));
        assertThat(json(new AlertRequests.Sent(token, List.of("a@example.net"), null, 7L)))
                .isEqualTo(tree("{\"claim\":\"" + token + "\",\"recipients\":[\"a@example.net\"],"
                        + "\"failed-sessions\":7}"));
        assertThat(json(new AlertRequests.NoRecipients(token, null))).isEqualTo(tree("{\"claim\":\"" + token + "\"}"));
        assertThat(json(new Cursor.Update(755L))).isEqualTo(tree("{\"position\":755}"));
    }

    @Test
    void anAbsentListReadsAsEmpty() throws IOException {
        AlertContext context = STRICT.readValue("""
                {"domain": {"id": 1, "name": "a.example", "tls-reporting-enabled": true},
                 "organisation": {"id": 1, "name": "A"},
                 "summary": {"reports": 0, "policies": [{"policy-type": "no-policy-found"}]}}""",
                AlertContext.class);

        assertThat(context.recipients()).isEmpty();
        assertThat(context.summary().resultTypes()).isEmpty();
        assertThat(context.summary().policies().get(0).policyString()).isEmpty();
        assertThat(STRICT.readValue("{\"next-cursor\": 3, \"more\": false}", FailureEventPage.class).events())
                .isEmpty();
    }

    private static <T> T roundTrip(String document, Class<T> type) throws IOException {
        JsonNode captured;
        try (InputStream in = ReportStoreAnswersTest.class.getResourceAsStream("/alerting/" + document)) {
            captured = STRICT.readTree(in);
        }
        T value = STRICT.treeToValue(captured, type);
        assertThat(json(value)).as("%s written again", document).isEqualTo(captured);
        return value;
    }

    /** As written on the wire, read back (so that 1 compares equal whether a field is an int or a long). */
    private static JsonNode json(Object value) throws IOException {
        return STRICT.readTree(STRICT.writeValueAsString(value));
    }

    private static JsonNode tree(String json) throws IOException {
        return STRICT.readTree(json);
    }
}
