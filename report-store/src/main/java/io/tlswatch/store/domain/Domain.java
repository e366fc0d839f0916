package io.tlswatch.store.domain;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/**
 * A monitored domain (lower-case A-label). Reports for it and its subdomains are attributed to it.
 * With {@code tlsReportingEnabled} off its reports are still stored and shown, but never alerted.
 */
public record Domain(long id, long organisationId, String name, boolean tlsReportingEnabled, Instant createdAt) {

    public static final String COLUMNS = "id, organisation_id, name, tls_reporting_enabled, created_at";

    public static Domain of(Row row) {
        return new Domain(row.getLong("id"), row.getLong("organisation_id"), row.getString("name"),
                row.getBoolean("tls_reporting_enabled"), row.getOffsetDateTime("created_at").toInstant());
    }

    public Domain withTlsReporting(boolean enabled) {
        return new Domain(id, organisationId, name, enabled, createdAt);
    }
}
