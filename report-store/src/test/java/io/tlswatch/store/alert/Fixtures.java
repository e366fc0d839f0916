package io.tlswatch.store.alert;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Test data the admin API (not on this branch) would create: organisations, domains and recipients by
 * SQL on the test database; and reports, built here or read from the samples, submitted over HTTP.
 * Test classes share one database, so every name made here is unique.
 */
public final class Fixtures {

    public static final String INTERNAL = "Bearer test-internal-token";
    public static final String ADMIN = "Bearer test-admin-token";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** A domain name no other test uses, e.g. {@code d7-1a2b3c.example}. */
    public static String uniqueDomain() {
        return "d" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    /** A connection to the test database; the caller closes it. Autocommit is on. */
    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    public static long organisation(String name) {
        return insert("insert into organisation (name, created_at) values (?, now()) returning id", name);
    }

    public static long domain(long organisationId, String name, boolean tlsReportingEnabled) {
        return insert("insert into domain (organisation_id, name, tls_reporting_enabled, created_at) "
                + "values (?, ?, ?, now()) returning id", organisationId, name, tlsReportingEnabled);
    }

    /** A new organisation owning one new domain with TLS reporting on; answers the domain's name. */
    public static String registeredDomain() {
        String name = uniqueDomain();
        domain(organisation("Org of " + name), name, true);
        return name;
    }

    public static long recipient(long organisationId, String address) {
        return insert("insert into alert_recipient (organisation_id, address, created_at) values (?, ?, now()) "
                + "returning id", organisationId, address);
    }

    public static long insert(String sql, Object... values) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores a minimal report with one policy for {@code domainId} straight into the tables, in the
     * caller's transaction (as the report-store would, without going through it). Answers the report's id.
     */
    public static long insertReport(Connection connection, long domainId, long failedSessions) throws SQLException {
        long reportId;
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into report (organization_name, report_id, start_time, end_time, channel, received_at,
                    raw_payload, successful_sessions, failed_sessions)
                values ('Direct Reporter', ?, ?, ?, 'https', ?, '\\x7b7d'::bytea, 10, ?) returning id""")) {
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            statement.setString(1, UUID.randomUUID().toString());
            statement.setTimestamp(2, Timestamp.from(start));
            statement.setTimestamp(3, Timestamp.from(start.plusSeconds(86_399)));
            statement.setTimestamp(4, Timestamp.from(Instant.now()));
            statement.setLong(5, failedSessions);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                reportId = rows.getLong(1);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into report_policy (report_id, ordinal, policy_type, policy_domain, policy_strings, mx_hosts,
                    successful_sessions, failed_sessions, domain_id, start_time)
                select ?, 0, 'sts', d.name, '{}', '{}', 10, ?, d.id, '2026-01-01T00:00:00Z' from domain d where d.id = ?
                """)) {
            statement.setLong(1, reportId);
            statement.setLong(2, failedSessions);
            statement.setLong(3, domainId);
            statement.executeUpdate();
        }
        return reportId;
    }

    /** The id of the transaction that stored a report, as the failure events order them. */
    public static long xidOf(long reportId) {
        return insert("select created_xid::text::bigint from report where id = ?", reportId);
    }

    /** One failure detail of a built report. */
    public static Map<String, Object> detail(String resultType, String mxHostname, String receivingIp, long count) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("result-type", resultType);
        detail.put("sending-mta-ip", "192.0.2.1");
        detail.put("receiving-mx-hostname", mxHostname);
        if (receivingIp != null) {
            detail.put("receiving-ip", receivingIp);
        }
        detail.put("failed-session-count", count);
        return detail;
    }

    /** One STS policy of a built report; its failed sessions are its details' sum. */
    @SafeVarargs
    public static Map<String, Object> policy(String policyDomain, long successful, Map<String, Object>... details) {
        long failed = 0;
        for (Map<String, Object> detail : details) {
            failed += ((Number) detail.get("failed-session-count")).longValue();
        }
        return Map.of(
                "policy", Map.of("policy-type", "sts", "policy-domain", policyDomain,
                        "policy-string", List.of("version: STSv1", "mode: enforce", "mx: *." + policyDomain,
                                "max_age: 86400"),
                        "mx-host", List.of("*." + policyDomain)),
                "summary", Map.of("total-successful-session-count", successful,
                        "total-failure-session-count", failed),
                "failure-details", List.of(details));
    }

    /** A report by {@code organization} for the day starting at {@code start}, with a fresh report-id. */
    @SafeVarargs
    public static byte[] report(String organization, Instant start, Map<String, Object>... policies) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("organization-name", organization);
        report.put("date-range", Map.of("start-datetime", start.toString(),
                "end-datetime", start.plusSeconds(86_399).toString()));
        report.put("contact-info", "tlsrpt@" + organization.toLowerCase().replace(' ', '-') + ".example");
        report.put("report-id", UUID.randomUUID().toString());
        report.put("policies", new ArrayList<>(List.of(policies)));
        try {
            return JSON.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Submits a report as report-ingest does; answers its id. */
    public static long submit(byte[] payload, Instant receivedAt) {
        Response response = given().header("Authorization", INTERNAL).contentType(ContentType.JSON)
                .body(Map.of("channel", "https", "received-at", receivedAt.toString(),
                        "payload", Base64.getEncoder().encodeToString(payload)))
                .when().post("/internal/v1/reports");
        response.then().statusCode(201);
        return response.jsonPath().getLong("id");
    }

    public static long submit(byte[] payload) {
        return submit(payload, Instant.now());
    }
}
