package io.tlswatch.store.config;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** timestamptz to and from the reactive client, which reads and binds them as {@link OffsetDateTime}. */
public final class Timestamps {

    private Timestamps() {
    }

    /** The column's instant, or null for SQL null. */
    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A parameter for a timestamptz column (null stays null). */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
