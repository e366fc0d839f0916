package io.tlswatch.store.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain JDBC to the test database, for setting up rows and checking what was stored. */
public final class Sql {

    private Sql() {
    }

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** Runs one statement with its parameters; returns the first column of the first row, or null. */
    public static Object query(String sql, Object... params) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            if (!statement.execute()) {
                return null;
            }
            try (ResultSet rows = statement.getResultSet()) {
                return rows.next() ? rows.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A new organisation with one domain; returns the organisation's id. */
    public static long organisationWithDomain(String organisation, String domain, boolean tlsReportingEnabled) {
        long id = ((Number) query("insert into organisation (name, created_at) values (?, now()) returning id",
                organisation)).longValue();
        query("insert into domain (organisation_id, name, tls_reporting_enabled, created_at) values (?, ?, ?, now())",
                id, domain, tlsReportingEnabled);
        return id;
    }
}
