package io.tlswatch.alert.client;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when report-store answers and takes our token: every sweep starts by asking it. */
@Readiness
@ApplicationScoped
public class ReportStoreReadiness implements AsyncHealthCheck {

    private final ReportStoreClient store;

    ReportStoreReadiness(ReportStoreClient store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.ping().map(up -> HealthCheckResponse.named("report-store").status(up).build());
    }
}
