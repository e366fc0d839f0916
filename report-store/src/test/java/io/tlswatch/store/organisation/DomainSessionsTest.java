package io.tlswatch.store.organisation;

import static io.tlswatch.store.organisation.Admin.ORGANISATIONS;
import static io.tlswatch.store.organisation.Admin.api;
import static io.tlswatch.store.organisation.ReportClaimingTest.database;
import static io.tlswatch.store.organisation.ReportClaimingTest.domains;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tlswatch.store.testing.Reports;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rollup domain_sessions (V4) that the domain list reads: after every kind of write it must hold
 * exactly what summing report_policy per domain and period gives. Runs on a database of its own
 * because one test truncates.
 */
@QuarkusTest
@TestProfile(DomainSessionsTest.OwnDatabase.class)
class DomainSessionsTest {

    /** A distinct profile restarts Quarkus, and PostgresResource gives each start a fresh database. */
    public static class OwnDatabase implements QuarkusTestProfile {
    }

    /** Whatever a test did, the rollup must equal the sums it stands for, for every domain. */
    @AfterEach
    void rollupEqualsTheSumsOfThePolicies() throws SQLException {
        assertThat(mismatches()).isEmpty();
    }

    @Test
    void storingAddsEachPolicysSessionsToItsDomainAndPeriod() {
        String name = Admin.uniqueDomain();
        Admin.addDomain(Admin.createOrganisation(), name);

        store(name, 1, 10, 2);
        store(name, 1, 5, 0);   // same domain and period: one row
        store(name, 3, 7, 0);
        store("mail." + name, 3, 1, 1);   // a subdomain's policy counts for its registered parent

        assertThat(sessions(name)).containsExactly(day(3) + " 2 8 1", day(1) + " 2 15 2");
    }

    @Test
    void aDomainRegisteredLaterClaimsItsSessionsAndTheListShowsThem() {
        String name = Admin.uniqueDomain();
        store(name, 2, 4, 1);
        assertThat(sessions(name)).isEmpty();

        Admin.addDomain(Admin.createOrganisation(), name);

        assertThat(sessions(name)).containsExactly(day(2) + " 1 4 1");
        Map<String, Object> status = status(name);
        assertThat(status).containsEntry("successful-sessions-30d", 4).containsEntry("failed-sessions-7d", 1)
                .containsEntry("state", "failing");
    }

    @Test
    void aSubdomainTakesItsSessionsFromTheParentAndGivesThemBackWhenDeleted() throws SQLException {
        String parent = Admin.uniqueDomain();
        long organisation = Admin.createOrganisation();
        Admin.addDomain(organisation, parent);
        store(parent, 1, 10, 0);
        store("mail." + parent, 1, 6, 3);
        assertThat(sessions(parent)).containsExactly(day(1) + " 2 16 3");

        Admin.addDomain(organisation, "mail." + parent);
        assertThat(sessions(parent)).containsExactly(day(1) + " 1 10 0");
        assertThat(sessions("mail." + parent)).containsExactly(day(1) + " 1 6 3");

        api().when().delete(domains(organisation) + "/mail." + parent).then().statusCode(204);
        assertThat(sessions(parent)).containsExactly(day(1) + " 2 16 3");

        long parentId = idOf(parent);
        api().when().delete(domains(organisation) + "/" + parent).then().statusCode(204);
        assertThat(count("select count(*) from domain_sessions where domain_id = " + parentId)).isZero();
    }

    @Test
    void deletingAnOrganisationMovesItsSessionsToAnotherOrganisationsParentDomain() {
        String parent = Admin.uniqueDomain();
        Admin.addDomain(Admin.createOrganisation(), parent);
        long leaving = Admin.createOrganisation();
        Admin.addDomain(leaving, "mail." + parent);
        store("mail." + parent, 5, 8, 2);
        assertThat(sessions("mail." + parent)).containsExactly(day(5) + " 1 8 2");
        assertThat(sessions(parent)).isEmpty();

        api().when().delete(ORGANISATIONS + "/" + leaving).then().statusCode(204);

        assertThat(sessions(parent)).containsExactly(day(5) + " 1 8 2");
    }

    @Test
    void deletingReportsSubtractsTheirSessionsAndTruncatingEmptiesTheRollup() throws SQLException {
        String name = Admin.uniqueDomain();
        Admin.addDomain(Admin.createOrganisation(), name);
        long first = store(name, 1, 10, 1);
        store(name, 1, 20, 0);
        long only = store(name, 2, 5, 5);

        execute("delete from report where id in (" + first + ", " + only + ")");   // policies go by cascade
        assertThat(sessions(name)).containsExactly(day(1) + " 1 20 0");

        execute("truncate table failure_detail, report_policy, report");
        assertThat(count("select count(*) from domain_sessions")).isZero();
    }

    /** Stores a one-policy report for the UTC day {@code daysAgo} days back; returns its id. */
    private static long store(String policyDomain, int daysAgo, long successful, long failed) {
        return Reports.store(Reports.daily("Rollup Sender", "rollup-" + UUID.randomUUID(), policyDomain, daysAgo,
                successful, failed, failed > 0 ? "certificate-expired" : null, "mx." + policyDomain));
    }

    private static String day(int daysAgo) {
        return Instant.now().truncatedTo(ChronoUnit.DAYS).minus(daysAgo, ChronoUnit.DAYS).toString();
    }

    /** The domain's rollup rows, oldest first: "start policies successful failed". */
    private static List<String> sessions(String domain) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database(); PreparedStatement query = connection.prepareStatement("""
                select s.start_time, s.policies, s.successful_sessions, s.failed_sessions
                from domain_sessions s join domain d on d.id = s.domain_id
                where d.name = ? order by s.start_time""")) {
            query.setString(1, domain);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getObject(1, java.time.OffsetDateTime.class).toInstant() + " " + result.getLong(2)
                            + " " + result.getLong(3) + " " + result.getLong(4));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static long idOf(String domain) throws SQLException {
        return count("select id from domain where name = '" + domain + "'");
    }

    /** Rows where the rollup and the sums over report_policy disagree, either way. */
    private static List<String> mismatches() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        select domain_id, start_time, sums.policies, s.policies, sums.successful, s.successful_sessions,
                            sums.failed, s.failed_sessions
                        from (select domain_id, start_time, count(*) as policies,
                                  sum(successful_sessions) as successful, sum(failed_sessions) as failed
                              from report_policy where domain_id is not null group by 1, 2) sums
                        full join domain_sessions s using (domain_id, start_time)
                        where sums.policies is distinct from s.policies
                           or sums.successful is distinct from s.successful_sessions
                           or sums.failed is distinct from s.failed_sessions""")) {
            while (result.next()) {
                rows.add(result.getLong(1) + " " + result.getString(2) + ": policies " + result.getObject(3) + " vs "
                        + result.getObject(4) + ", successful " + result.getObject(5) + " vs " + result.getObject(6)
                        + ", failed " + result.getObject(7) + " vs " + result.getObject(8));
            }
        }
        return rows;
    }

    private static Map<String, Object> status(String domain) {
        JsonPath list = api().when().get("/api/v1/domains").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = list.getList("items");
        return items.stream().filter(i -> i.get("name").equals(domain)).findFirst().orElseThrow();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = database(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
