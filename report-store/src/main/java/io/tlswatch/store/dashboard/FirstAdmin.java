package io.tlswatch.store.dashboard;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tlswatch.store.config.StoreConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Creates the first admin from configuration at startup, so a new deployment can be signed in to.
 * Configuration stays the source of truth for that one user: a changed password takes effect at the
 * next start. Without configuration the service still starts (run-local, API-only use), with a warning.
 *
 * <p>The bcrypt hash takes a few hundred milliseconds of a cold JVM, so it is made beside the rest of
 * the start-up rather than in its way; a sign-in that comes sooner waits for it ({@link #awaitSet}).
 */
@ApplicationScoped
class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    static final String UPSERT = """
            insert into dashboard_user (username, password, role) values ($1, $2, 'admin')
            on conflict (username) do update set password = excluded.password, role = 'admin'""";

    private final Pool pool;
    private final StoreConfig.Dashboard config;
    private final CompletableFuture<Void> set = new CompletableFuture<>();

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
            set.complete(null);
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                pool.preparedQuery(UPSERT).execute(Tuple.of(user.get(), BcryptUtil.bcryptHash(password.get())))
                        .await().atMost(Duration.ofMinutes(1));
                LOG.infof("Dashboard admin %s is set from configuration", user.get());
                set.complete(null);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not set dashboard admin %s from configuration", user.get());
                set.completeExceptionally(e);
            }
        });
    }

    /** Blocks (on a worker thread) until the configured admin is in place, or could not be. */
    void awaitSet(Duration timeout) {
        try {
            set.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Logged where it failed; sign-in goes on with whatever the table holds.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
