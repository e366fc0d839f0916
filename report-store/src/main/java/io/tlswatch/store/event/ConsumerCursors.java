package io.tlswatch.store.event;

import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.alerting.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Durable cursors that only move forward: a lower position is ignored, so two sweeping replicas (or a
 * slow one finishing late) can never move a cursor back and have events handled twice.
 */
@ApplicationScoped
public class ConsumerCursors {

    private final Pool pool;
    private final Clock clock;

    ConsumerCursors(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<Cursor> get(String name) {
        return pool.preparedQuery("select name, position, updated_at from consumer_cursor where name = $1")
                .execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? new Cursor(name, 0, null) : cursor(rows));
    }

    /** Moves the cursor to {@code position} if that is ahead of it; answers where it is now. */
    public Uni<Cursor> advance(String name, long position) {
        return pool.preparedQuery("""
                        insert into consumer_cursor (name, position, updated_at) values ($1, $2, $3)
                        on conflict (name) do update set position = excluded.position, updated_at = excluded.updated_at
                            where consumer_cursor.position < excluded.position
                        returning name, position, updated_at""")
                .execute(Tuple.of(name, position,
                        clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)))
                .chain(rows -> rows.size() == 0 ? get(name) : Uni.createFrom().item(cursor(rows)));
    }

    private static Cursor cursor(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        return new Cursor(row.getString("name"), row.getLong("position"),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
