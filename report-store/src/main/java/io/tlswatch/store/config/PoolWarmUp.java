package io.tlswatch.store.config;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Opens the reactive pool's first connection as start-up ends, beside the HTTP servers coming up,
 * instead of when the readiness check first asks for it: PostgreSQL's handshake and the client's
 * first use then no longer delay readiness (docs/BENCHMARKS.md, the whole system). A failure is only
 * logged; the readiness check reports it.
 */
@ApplicationScoped
class PoolWarmUp {

    private static final Logger LOG = Logger.getLogger(PoolWarmUp.class);

    void open(@Observes StartupEvent startup, Pool pool) {
        pool.query("select 1").execute().subscribe().with(
                rows -> LOG.debug("database connection open"),
                failure -> LOG.warnf("database not reachable yet: %s", failure.getMessage()));
    }
}
