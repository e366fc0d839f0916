package io.tlswatch.store.organisation;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.organisation.Admin.ORGANISATIONS;
import static io.tlswatch.store.organisation.Admin.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tlswatch.tlsrpt.Samples;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Attribution of stored reports as domains are registered and deleted, checked in the database.
 * Runs on a database of its own, so the literal names below meet no other test's reports.
 */
@QuarkusTest
@TestProfile(ReportClaimingTest.OwnDatabase.class)
class ReportClaimingTest {

    /** A distinct profile restarts Quarkus, and PostgresResource gives each start a fresh database. */
    public static class OwnDatabase implements QuarkusTestProfile {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void registeringADomainClaimsEarlierReportsForItAndItsSubdomainsOnly() {
        long apex = submitReport("example.com");
        long mail = submitReport("mail.example.com");
        long other = submitReport("other.example");
        assertThat(owners(apex, mail, other)).containsOnlyNulls();

        api().body(Map.of("name", "example.com")).when().post(domains(Admin.createOrganisation()))
                .then().statusCode(201).body("claimed-reports", is(2));

        assertThat(owners(apex, mail, other)).containsExactly("example.com", "example.com", null);
    }

    @Test
    void registeringASubdomainLaterMovesOnlyItsReportsToIt() {
        String parent = Admin.uniqueDomain();
        long apex = submitReport(parent);
        long mail = submitReport("mail." + parent);
        long deeper = submitReport("mx1.mail." + parent);
        long organisation = Admin.createOrganisation();
        Admin.addDomain(organisation, parent);

        api().body(Map.of("name", "mail." + parent)).when().post(domains(organisation))
                .then().statusCode(201).body("claimed-reports", is(2));

        assertThat(owners(apex, mail, deeper)).containsExactly(parent, "mail." + parent, "mail." + parent);
    }

    @Test
    void aSubdomainRegisteredByAnotherOrganisationTakesItsReportsFromTheParent() {
        String parent = Admin.uniqueDomain();
        long mail = submitReport("mail." + parent);
        Admin.addDomain(Admin.createOrganisation(), parent);

        Admin.addDomain(Admin.createOrganisation(), "mail." + parent);

        assertThat(owners(mail)).containsExactly("mail." + parent);
    }

    @Test
    void deletingTheSubdomainHandsItsReportsBackToTheParent() {
        String parent = Admin.uniqueDomain();
        long apex = submitReport(parent);
        long mail = submitReport("mail." + parent);
        long organisation = Admin.createOrganisation();
        Admin.addDomain(organisation, parent);
        Admin.addDomain(organisation, "mail." + parent);

        api().when().delete(domains(organisation) + "/mail." + parent).then().statusCode(204);

        assertThat(owners(apex, mail)).containsExactly(parent, parent);
    }

    @Test
    void deletingADomainWithNoRegisteredParentLeavesItsReportsUnclaimed() {
        String name = Admin.uniqueDomain();
        long report = submitReport("mail." + name);
        long organisation = Admin.createOrganisation();
        Admin.addDomain(organisation, name);
        assertThat(owners(report)).containsExactly(name);

        api().when().delete(domains(organisation) + "/" + name).then().statusCode(204);

        assertThat(owners(report)).containsOnlyNulls();
        assertThat(reportExists(report)).isTrue();
    }

    @Test
    void aReportArrivingAfterRegistrationIsAttributedAtOnce() {
        String name = Admin.uniqueDomain();
        Admin.addDomain(Admin.createOrganisation(), name);

        long report = submitReport(name, "mx." + name, "elsewhere-" + name);

        assertThat(owners(report)).containsExactly(name, name, null);
    }

    @Test
    void aReportStoredWhileARegistrationIsOpenWaitsForItAndIsAttributedToTheNewDomain() throws Exception {
        String name = Admin.uniqueDomain();
        long organisation = Admin.createOrganisation();
        ExecutorService storing = Executors.newSingleThreadExecutor();
        try (Connection registration = database()) {
            // What OrganisationService.addDomain does before it claims: DomainClaims.lock, then the new row.
            registration.setAutoCommit(false);
            try (Statement statement = registration.createStatement()) {
                statement.execute("lock table report_policy in share row exclusive mode");
                statement.execute("insert into domain (organisation_id, name, tls_reporting_enabled, created_at) "
                        + "values (" + organisation + ", '" + name + "', true, now())");
            }
            Future<Long> stored = storing.submit(() -> submitReport("mx." + name));
            awaitLockWaitOnReportPolicy();
            registration.commit();

            // Stored after the registration committed, so it must see the domain: not unclaimed.
            assertThat(owners(stored.get(30, TimeUnit.SECONDS))).containsExactly(name);
        } finally {
            storing.shutdownNow();
        }
    }

    /** Until some session waits for a lock on report_policy (the report being stored, behind the registration). */
    private static void awaitLockWaitOnReportPolicy() throws Exception {
        try (Connection connection = database(); Statement statement = connection.createStatement()) {
            for (int i = 0; i < 200; i++) {
                try (ResultSet rows = statement.executeQuery("select count(*) from pg_locks "
                        + "where relation = 'report_policy'::regclass and not granted")) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("storing the report never waited for the open registration");
    }

    @Test
    void aNameThatOnlyEndsInTheSameLettersIsNotClaimed() {
        String name = Admin.uniqueDomain();
        long lookalike = submitReport("not" + name);

        api().body(Map.of("name", name)).when().post(domains(Admin.createOrganisation()))
                .then().statusCode(201).body("claimed-reports", is(0));

        assertThat(owners(lookalike)).containsOnlyNulls();
    }

    @Test
    void claimedReportsCountsReportsNotPolicies() {
        String name = Admin.uniqueDomain();
        long report = submitReport(name, "mail." + name);

        api().body(Map.of("name", name)).when().post(domains(Admin.createOrganisation()))
                .then().statusCode(201).body("claimed-reports", is(1));

        assertThat(owners(report)).containsExactly(name, name);
    }

    @Test
    void deletingAnOrganisationHandsItsReportsToAnotherOrganisationsParentDomain() {
        String parent = Admin.uniqueDomain();
        long mail = submitReport("mail." + parent);
        Admin.addDomain(Admin.createOrganisation(), parent);
        long leaving = Admin.createOrganisation();
        Admin.addDomain(leaving, "mail." + parent);
        assertThat(owners(mail)).containsExactly("mail." + parent);

        api().when().delete(ORGANISATIONS + "/" + leaving).then().statusCode(204);

        assertThat(owners(mail)).containsExactly(parent);
    }

    @Test
    void deletingAnOrganisationLeavesItsReportsUnclaimedWhenNoOtherOrganisationHasAParent() {
        String parent = Admin.uniqueDomain();
        long apex = submitReport(parent);
        long mail = submitReport("mail." + parent);
        long leaving = Admin.createOrganisation();
        Admin.addDomain(leaving, parent);
        Admin.addDomain(leaving, "mail." + parent);

        api().when().delete(ORGANISATIONS + "/" + leaving).then().statusCode(204);

        assertThat(owners(apex, mail)).containsOnlyNulls();
        assertThat(reportExists(apex) && reportExists(mail)).isTrue();
    }

    static String domains(long organisation) {
        return ORGANISATIONS + "/" + organisation + "/domains";
    }

    /**
     * Submits the RFC 8460 sample report (read in place) under a new report-id, with one copy of its
     * policy per given policy-domain, as report-ingest would; returns the stored report's id.
     */
    static long submitReport(String... policyDomains) {
        ObjectNode report;
        try {
            report = (ObjectNode) JSON.readTree(Samples.read("domainaware_parsedmarc__rfc8460.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        report.put("report-id", UUID.randomUUID().toString());
        ArrayNode policies = (ArrayNode) report.get("policies");
        ObjectNode template = (ObjectNode) policies.get(0);
        policies.removeAll();
        for (String domain : policyDomains) {
            ObjectNode policy = template.deepCopy();
            ((ObjectNode) policy.get("policy")).put("policy-domain", domain);
            policies.add(policy);
        }
        byte[] payload = report.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return given().header("Authorization", "Bearer test-internal-token").contentType(ContentType.JSON)
                .body(Map.of("channel", "https", "received-at", Instant.now().toString(),
                        "payload", Base64.getEncoder().encodeToString(payload)))
                .when().post("/internal/v1/reports")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** For each report, in order, the registered domain owning each of its policies (null: unclaimed). */
    static List<String> owners(long... reportIds) {
        List<String> owners = new ArrayList<>();
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("""
                        select d.name from report_policy p left join domain d on d.id = p.domain_id
                        where p.report_id = ? order by p.ordinal""")) {
            for (long id : reportIds) {
                query.setLong(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        owners.add(rows.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(owners).as("policies of reports %s", Arrays.toString(reportIds)).isNotEmpty();
        return owners;
    }

    static boolean reportExists(long reportId) {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("select 1 from report where id = ?")) {
            query.setLong(1, reportId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test database, through the JDBC settings the running application was given. */
    static Connection database() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
