package io.tlswatch.store.organisation;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** A customer of this deployment: owns domains and the addresses that receive their alerts. */
public record Organisation(long id, String name, Instant createdAt) {

    static final String COLUMNS = "id, name, created_at";

    static Organisation of(Row row) {
        return new Organisation(row.getLong("id"), row.getString("name"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
