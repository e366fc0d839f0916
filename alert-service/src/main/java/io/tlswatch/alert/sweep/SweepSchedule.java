package io.tlswatch.alert.sweep;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The sweep every {@code tlswatch.alert.sweep-interval}. Non-blocking (it returns a Uni, and everything
 * in it is reactive), and skipped while the previous one still runs.
 */
@ApplicationScoped
public class SweepSchedule {

    private static final Logger LOG = Logger.getLogger(SweepSchedule.class);

    private final AlertSweep sweep;

    SweepSchedule(AlertSweep sweep) {
        this.sweep = sweep;
    }

    @Scheduled(identity = "alert-sweep", every = "${tlswatch.alert.sweep-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return sweep.sweep()
                .onFailure().invoke(e -> LOG.warnf("Alert sweep failed, retried at the next one: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
