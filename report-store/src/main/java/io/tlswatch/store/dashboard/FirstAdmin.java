package io.tlswatch.store.dashboard;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import io.tlswatch.store.config.StoreConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates the first admin from configuration at startup, so a new deployment can be signed in to.
 * Configuration stays the source of truth for that one user: a changed password takes effect at the
 * next start. Without configuration the service still starts (run-local, API-only use), with a warning.
 */
@ApplicationScoped
class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    static final String UPSERT = """
            insert into dashboard_user (username, password, role) values ($1, $2, 'admin')
            on conflict (username) do update set password = excluded.password, role = 'admin'""";

    private final Pool pool;
    private final StoreConfig.Dashboard config;

    FirstAdmin(Pool pool, StoreConfig config) {
        this.pool = pool;
        this.config = config.dashboard();
    }

    // Flyway has migrated by the time StartupEvent is fired.
    void create(@Observes StartupEvent startup) {
        Optional<String> user = config.adminUser().map(String::strip).filter(u -> !u.isEmpty());
        Optional<String> password = config.adminPassword().filter(p -> !p.isBlank());
        if (user.isEmpty() || password.isEmpty()) {
            LOG.warn("No dashboard admin configured: set TLSWATCH_DASHBOARD_ADMIN_USER and "
                    + "TLSWATCH_DASHBOARD_ADMIN_PASSWORD (tlswatch.dashboard.admin-user, -password) to sign in "
                    + "to the dashboard; the APIs work without them");
            return;
        }
        pool.preparedQuery(UPSERT).execute(Tuple.of(user.get(), BcryptUtil.bcryptHash(password.get())))
                .await().atMost(Duration.ofMinutes(1));
        LOG.infof("Dashboard admin %s is set from configuration", user.get());
    }
}
