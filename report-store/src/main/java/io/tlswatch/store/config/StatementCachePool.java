package io.tlswatch.store.config;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The reactive pool as Quarkus configures it, except that prepared statements up to
 * {@value #STATEMENT_CACHE_SQL_LIMIT} characters are cached, not only those up to Vert.x's default
 * of 2,048 (Quarkus has no setting for it). A statement that is not cached is parsed and planned
 * afresh on every execution; report storing's single statement ({@code ReportStore.STORE}) is longer
 * than 2,048 characters, and re-planning it for every report cost PostgreSQL twice the CPU of the
 * inserts themselves (docs/BENCHMARKS.md, report-store).
 *
 * <p>Quarkus calls this instead of creating the pool itself; everything it configured (URL,
 * credentials, pool size, idle timeout, statement caching on) arrives in {@link Input}. A credentials
 * provider is not supported here (TLSWatch does not use one).
 */
@Singleton
public class StatementCachePool implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 16 * 1024;

    @Override
    @SuppressWarnings("deprecation") // Quarkus 3 expects a PgPool, which Vert.x 4.5 deprecates in favour of Pool
    public Pool create(Input input) {
        List<PgConnectOptions> databases = input.pgConnectOptionsList();
        databases.forEach(options -> options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        return PgPool.pool(input.vertx(), databases, input.poolOptions());
    }
}
