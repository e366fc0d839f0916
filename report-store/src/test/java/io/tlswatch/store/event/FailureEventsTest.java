package io.tlswatch.store.event;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.alert.Fixtures.INTERNAL;
import static io.tlswatch.store.alert.Fixtures.detail;
import static io.tlswatch.store.alert.Fixtures.policy;
import static io.tlswatch.store.alert.Fixtures.report;
import static io.tlswatch.store.alert.Fixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tlswatch.store.alert.Fixtures;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FailureEventsTest {

    static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");

    long organisation;
    String first;
    String second;
    long firstId;
    long secondId;

    @BeforeEach
    void twoDomainsOfOneOrganisation() {
        first = Fixtures.uniqueDomain();
        second = Fixtures.uniqueDomain();
        organisation = Fixtures.organisation("Events Org");
        firstId = Fixtures.domain(organisation, first, true);
        secondId = Fixtures.domain(organisation, second, true);
    }

    static JsonPath page(long after, int limit) {
        return given().header("Authorization", INTERNAL)
                .queryParam("after", after).queryParam("limit", limit)
                .when().get("/internal/v1/failure-events")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Reads every page from {@code after} on; answers the cursor after the last one. */
    static long drain(long after) {
        long cursor = after;
        JsonPath page;
        do {
            page = page(cursor, 1000);
            cursor = page.getLong("next-cursor");
        } while (page.getBoolean("more"));
        return cursor;
    }

    /** (report, domain) of a page's events that belong to the given reports. */
    static List<String> pairs(JsonPath page, List<Long> reports) {
        List<String> pairs = new ArrayList<>();
        List<Map<String, Object>> events = page.getList("events");
        for (Map<String, Object> event : events) {
            long report = ((Number) event.get("report")).longValue();
            if (reports.contains(report)) {
                pairs.add(report + "/" + event.get("domain"));
            }
        }
        return pairs;
    }

    @Test
    void eventsComeInCommitSafeXidOrderAndAPageNeverSplitsAReport() {
        long start = drain(0);
        long r1 = submit(report("Reporter A", DAY, policy(first, 5, detail("certificate-expired", "mx1." + first, null, 3))));
        long r2 = submit(report("Reporter B", DAY,
                policy(first, 5, detail("starttls-not-supported", "mx1." + first, null, 2)),
                policy(second, 5, detail("validation-failure", "mx1." + second, null, 4))));
        long ok = submit(report("Reporter C", DAY, policy(first, 9)));
        long r3 = submit(report("Reporter D", DAY, policy(second, 5, detail("certificate-expired", "mx." + second, null, 1))));
        // Two policies of one report attributed to one domain (the domain and a subdomain) make one event.
        long r4 = submit(report("Reporter E", DAY,
                policy(first, 5, detail("certificate-expired", "mx1." + first, null, 6)),
                policy("mail." + first, 5, detail("certificate-expired", "mx2." + first, null, 7))));
        List<Long> mine = List.of(r1, r2, ok, r3, r4);

        // limit 1: one report per page, a report's events always together.
        List<List<String>> pages = new ArrayList<>();
        List<Long> xids = new ArrayList<>();
        long cursor = start;
        JsonPath page;
        do {
            page = page(cursor, 1);
            assertThat(page.getLong("next-cursor")).isGreaterThanOrEqualTo(cursor);
            cursor = page.getLong("next-cursor");
            List<String> pairs = pairs(page, mine);
            if (!pairs.isEmpty()) {
                pages.add(pairs);
            }
            xids.addAll(page.getList("events.xid", Long.class));
        } while (page.getBoolean("more"));

        assertThat(pages).containsExactly(
                List.of(r1 + "/" + first),
                List.of(r2 + "/" + first, r2 + "/" + second),
                List.of(r3 + "/" + second),
                List.of(r4 + "/" + first));
        // Each event carries its report's transaction id; r2's two events share one.
        assertThat(xids).isSorted().containsExactly(Fixtures.xidOf(r1), Fixtures.xidOf(r2), Fixtures.xidOf(r2),
                Fixtures.xidOf(r3), Fixtures.xidOf(r4));
        assertThat(cursor).isGreaterThanOrEqualTo(Fixtures.xidOf(r4));

        // limit 2: two reports per page; the event carries what alert-service needs.
        JsonPath firstPage = page(start, 2);
        assertThat(pairs(firstPage, mine)).containsExactly(r1 + "/" + first, r2 + "/" + first, r2 + "/" + second);
        assertThat(firstPage.getBoolean("more")).isTrue();
        assertThat(firstPage.getLong("next-cursor")).isEqualTo(Fixtures.xidOf(r2));
        Map<String, Object> event = firstPage.getMap("events[2]");
        assertThat(event).containsEntry("domain", second).containsEntry("domain-id", (int) secondId)
                .containsEntry("organisation-id", (int) organisation).containsEntry("report", (int) r2)
                .containsEntry("organization-name", "Reporter B").containsEntry("failed-sessions", 4)
                .containsEntry("date-range", Map.of("start-datetime", "2026-03-01T00:00:00Z",
                        "end-datetime", "2026-03-01T23:59:59Z"));
        JsonPath last = page(page(firstPage.getLong("next-cursor"), 2).getLong("next-cursor"), 2);
        assertThat(pairs(last, mine)).isEmpty();
        JsonPath r4Page = page(Fixtures.xidOf(r3), 10);
        assertThat(r4Page.getList("events.failed-sessions", Integer.class)).containsExactly(13);
    }

    @Test
    void reportsStoredByOneTransactionAreNeverSplitAcrossPages() throws Exception {
        long start = drain(0);
        long a;
        long b;
        try (Connection connection = Fixtures.connect()) {
            connection.setAutoCommit(false);
            a = Fixtures.insertReport(connection, firstId, 1);
            b = Fixtures.insertReport(connection, secondId, 2);
            connection.commit();
        }
        JsonPath page = page(start, 1);
        assertThat(pairs(page, List.of(a, b))).containsExactly(a + "/" + first, b + "/" + second);
        assertThat(page.getLong("next-cursor")).isEqualTo(Fixtures.xidOf(a)).isEqualTo(Fixtures.xidOf(b));
    }

    @Test
    void aReportCommittedBeforeAnOlderTransactionIsHeldBackUntilTheOlderOneCommits() throws Exception {
        long start = drain(0);
        try (Connection older = Fixtures.connect(); Connection newer = Fixtures.connect()) {
            older.setAutoCommit(false);
            newer.setAutoCommit(false);
            long a = Fixtures.insertReport(older, firstId, 1);   // takes the older transaction id
            long b = Fixtures.insertReport(newer, secondId, 2);
            newer.commit();
            long xidB = Fixtures.xidOf(b);
            List<Long> both = List.of(a, b);

            JsonPath whileOlderRuns = page(start, 100);
            assertThat(pairs(whileOlderRuns, both)).as("B must wait for A's transaction").isEmpty();
            long cursor = whileOlderRuns.getLong("next-cursor");
            assertThat(cursor).isGreaterThanOrEqualTo(start).isLessThan(xidB);
            // B is visible but held back: the age of the oldest pending event shows it.
            assertThat(whileOlderRuns.getString("oldest-pending-at")).isNotNull();

            older.commit();
            long xidA = Fixtures.xidOf(a);   // readable only now that it is committed
            assertThat(xidA).isLessThan(xidB).isGreaterThan(cursor);

            JsonPath afterCommit = page(cursor, 100);
            assertThat(pairs(afterCommit, both)).containsExactly(a + "/" + first, b + "/" + second);
            long next = afterCommit.getLong("next-cursor");
            assertThat(next).isGreaterThanOrEqualTo(xidB);
            assertThat(pairs(page(next, 100), both)).isEmpty();
        }
    }

    @Test
    void aReportCommittedBeforeAnOlderTransactionIsDeliveredOnceTheOlderOneAborts() throws Exception {
        long start = drain(0);
        try (Connection older = Fixtures.connect(); Connection newer = Fixtures.connect()) {
            older.setAutoCommit(false);
            newer.setAutoCommit(false);
            Fixtures.insertReport(older, firstId, 1);
            long b = Fixtures.insertReport(newer, secondId, 2);
            newer.commit();

            JsonPath whileOlderRuns = page(start, 100);
            assertThat(pairs(whileOlderRuns, List.of(b))).isEmpty();
            older.rollback();

            JsonPath afterAbort = page(whileOlderRuns.getLong("next-cursor"), 100);
            assertThat(pairs(afterAbort, List.of(b))).containsExactly(b + "/" + second);
        }
    }

    @Test
    void unclaimedReportsAndDomainsWithReportingOffGiveNoEventsButTheCursorMovesPastThem() {
        String off = Fixtures.uniqueDomain();
        Fixtures.domain(organisation, off, false);
        String unregistered = Fixtures.uniqueDomain();
        long start = drain(0);

        long unclaimed = submit(report("Reporter U", DAY, policy(unregistered, 1, detail("certificate-expired", "mx." + unregistered, null, 5))));
        long silenced = submit(report("Reporter O", DAY, policy(off, 1, detail("certificate-expired", "mx." + off, null, 5))));
        long alerted = submit(report("Reporter A", DAY, policy(first, 1, detail("certificate-expired", "mx." + first, null, 5))));

        JsonPath page = page(start, 100);
        assertThat(pairs(page, List.of(unclaimed, silenced, alerted))).containsExactly(alerted + "/" + first);
        assertThat(page.getBoolean("more")).isFalse();
        assertThat(page.getLong("next-cursor"))
                .isGreaterThanOrEqualTo(Fixtures.xidOf(unclaimed))
                .isGreaterThanOrEqualTo(Fixtures.xidOf(silenced))
                .isGreaterThanOrEqualTo(Fixtures.xidOf(alerted));

        // Without an alertable event the cursor still moves, so skipped reports are not read again.
        long beforeQuietOnes = page.getLong("next-cursor");
        long quiet = submit(report("Reporter U", DAY, policy(unregistered, 1, detail("certificate-expired", "mx." + unregistered, null, 5))));
        JsonPath onlyQuiet = page(beforeQuietOnes, 100);
        assertThat(pairs(onlyQuiet, List.of(quiet))).isEmpty();
        assertThat(onlyQuiet.getLong("next-cursor")).isGreaterThanOrEqualTo(Fixtures.xidOf(quiet));
    }

    @Test
    void oldestPendingAtIsTheReceiptOfTheOldestEventAfterTheCursor() {
        long start = drain(0);
        assertThat(page(start, 100).getString("oldest-pending-at")).isNull();
        Instant received = Instant.parse("2026-03-02T10:15:30Z");
        submit(report("Reporter A", DAY, policy(first, 1, detail("certificate-expired", "mx." + first, null, 5))), received);
        submit(report("Reporter B", DAY, policy(first, 1, detail("certificate-expired", "mx." + first, null, 5))),
                received.plus(1, ChronoUnit.HOURS));
        JsonPath page = page(start, 100);
        assertThat(Instant.parse(page.getString("oldest-pending-at"))).isEqualTo(received);
        assertThat(page(page.getLong("next-cursor"), 100).getString("oldest-pending-at")).isNull();
    }

    @Test
    void aBadLimitOrCursorIsRefusedAndTheRouteNeedsTheInternalToken() {
        given().header("Authorization", INTERNAL).queryParam("limit", 0)
                .when().get("/internal/v1/failure-events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.is("limit"));
        given().header("Authorization", INTERNAL).queryParam("after", -1)
                .when().get("/internal/v1/failure-events")
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.is("after"));
        given().header("Authorization", Fixtures.ADMIN)
                .when().get("/internal/v1/failure-events")
                .then().statusCode(401);
    }
}
