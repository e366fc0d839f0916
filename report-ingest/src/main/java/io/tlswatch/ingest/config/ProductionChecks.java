package io.tlswatch.ingest.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start in production without what report-store needs to take our reports. */
@ApplicationScoped
public class ProductionChecks {

    void onStart(@Observes StartupEvent startup, IngestConfig config) {
        if (LaunchMode.current() == LaunchMode.NORMAL && config.internalToken().filter(t -> !t.isBlank()).isEmpty()) {
            throw new IllegalStateException(
                    "report-ingest needs TLSWATCH_INTERNAL_TOKEN (tlswatch.internal-token) to reach report-store");
        }
    }
}
