package io.tlswatch.store.organisation;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** An address that receives an organisation's alerts. */
public record AlertRecipient(long id, long organisationId, String address, Instant createdAt) {

    static final String COLUMNS = "id, organisation_id, address, created_at";

    static AlertRecipient of(Row row) {
        return new AlertRecipient(row.getLong("id"), row.getLong("organisation_id"), row.getString("address"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
