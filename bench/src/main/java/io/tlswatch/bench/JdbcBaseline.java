package io.tlswatch.bench;

import io.tlswatch.tlsrpt.FailureDetail;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.TlsReport;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The throughput baseline: the rows report-store writes for one report, inserted over plain JDBC in
 * one transaction, from a report parsed beforehand. The statements are report-store's own
 * ({@code ReportStore.insert}, {@code insertPolicies}) with {@code ?} for {@code $n}; failure details
 * go in as one JDBC batch instead of report-store's {@code unnest}. What it leaves out is exactly what
 * the service adds on top of the inserts: HTTP, JSON and base64, parsing, the attribution lookup (here a
 * map prepared before the timing) and its table lock.
 */
final class JdbcBaseline implements AutoCloseable {

    /** ReportStore.insert, verbatim but for the placeholders. */
    static final String INSERT_REPORT = """
            insert into report (organization_name, report_id, contact_info, start_time, end_time, channel,
                received_at, remote_address, submitter, mail_headers, dkim_signatures, raw_payload,
                successful_sessions, failed_sessions)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
            on conflict (lower(organization_name), report_id) do nothing
            returning id""";

    /** ReportStore.insertPolicies, verbatim but for the placeholders. */
    static final String INSERT_POLICY = """
            insert into report_policy (report_id, ordinal, policy_type, policy_domain, policy_strings,
                mx_hosts, successful_sessions, failed_sessions, domain_id, start_time)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""";

    /** The columns of ReportStore.insertFailureDetails, one row per batch entry. */
    static final String INSERT_DETAIL = """
            insert into failure_detail (policy_id, result_type, sending_mta_ip, receiving_mx_hostname,
                receiving_mx_helo, receiving_ip, failed_session_count, additional_information,
                failure_reason_code)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final Connection connection;
    private final PreparedStatement report;
    private final PreparedStatement policy;
    private final PreparedStatement detail;
    private final Map<String, Long> registered;

    JdbcBaseline(Connection connection, Map<String, Long> registered) throws SQLException {
        this.connection = connection;
        this.registered = registered;
        connection.setAutoCommit(false);
        report = connection.prepareStatement(INSERT_REPORT);
        policy = connection.prepareStatement(INSERT_POLICY);
        detail = connection.prepareStatement(INSERT_DETAIL);
    }

    /** Stores one report in one transaction; true when it was new. */
    boolean store(TlsReport parsed, byte[] payload, Instant receivedAt) throws SQLException {
        try {
            OffsetDateTime start = parsed.dateRange().start().atOffset(ZoneOffset.UTC);
            report.setString(1, parsed.organizationName());
            report.setString(2, parsed.reportId());
            report.setString(3, parsed.contactInfo());
            report.setObject(4, start);
            report.setObject(5, parsed.dateRange().end().atOffset(ZoneOffset.UTC));
            report.setString(6, "https");
            report.setObject(7, receivedAt.atOffset(ZoneOffset.UTC));
            report.setNull(8, Types.VARCHAR);
            report.setNull(9, Types.VARCHAR);
            report.setNull(10, Types.VARCHAR);
            report.setNull(11, Types.VARCHAR);
            report.setBytes(12, payload);
            report.setLong(13, parsed.totalSuccessfulSessionCount());
            report.setLong(14, parsed.totalFailureSessionCount());
            long reportId;
            try (ResultSet rows = report.executeQuery()) {
                if (!rows.next()) {
                    connection.commit();
                    return false;
                }
                reportId = rows.getLong(1);
            }
            for (int i = 0; i < parsed.policies().size(); i++) {
                PolicyResult result = parsed.policies().get(i);
                Long domainId = closest(result.policy().policyDomain());
                Array strings = connection.createArrayOf("text", result.policy().policyString().toArray());
                Array mxHosts = connection.createArrayOf("text", result.policy().mxHost().toArray());
                policy.setLong(1, reportId);
                policy.setInt(2, i);
                policy.setString(3, result.policy().policyType().wireName());
                policy.setString(4, result.policy().policyDomain());
                policy.setArray(5, strings);
                policy.setArray(6, mxHosts);
                policy.setLong(7, result.summary().totalSuccessfulSessionCount());
                policy.setLong(8, result.summary().totalFailureSessionCount());
                if (domainId == null) {
                    policy.setNull(9, Types.BIGINT);
                } else {
                    policy.setLong(9, domainId);
                }
                policy.setObject(10, start);
                long policyId;
                try (ResultSet rows = policy.executeQuery()) {
                    rows.next();
                    policyId = rows.getLong(1);
                }
                if (!result.failureDetails().isEmpty()) {
                    for (FailureDetail d : result.failureDetails()) {
                        detail.setLong(1, policyId);
                        detail.setString(2, d.resultType());
                        detail.setString(3, d.sendingMtaIp());
                        detail.setString(4, d.receivingMxHostname());
                        detail.setString(5, d.receivingMxHelo());
                        detail.setString(6, d.receivingIp());
                        if (d.failedSessionCount() == null) {
                            detail.setNull(7, Types.BIGINT);
                        } else {
                            detail.setLong(7, d.failedSessionCount());
                        }
                        detail.setString(8, d.additionalInformation());
                        detail.setString(9, d.failureReasonCode());
                        detail.addBatch();
                    }
                    detail.executeBatch();
                }
            }
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** report-store's DomainAttribution.closest: the policy-domain itself or its closest registered parent. */
    private Long closest(String domain) {
        if (domain == null) {
            return null;
        }
        String name = domain;
        while (true) {
            Long id = registered.get(name);
            if (id != null) {
                return id;
            }
            int dot = name.indexOf('.');
            if (dot < 0) {
                return null;
            }
            name = name.substring(dot + 1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
