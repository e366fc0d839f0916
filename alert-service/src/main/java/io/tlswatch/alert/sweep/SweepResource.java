package io.tlswatch.alert.sweep;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Runs a sweep now (admin token), for an operator who does not want to wait for the schedule. */
@Path("/api/v1/sweeps")
public class SweepResource {

    private final AlertSweep sweep;

    SweepResource(AlertSweep sweep) {
        this.sweep = sweep;
    }

    /** 200 with what the sweep alerted, suppressed and failed; 503 when report-store cannot be read. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SweepResult> sweep() {
        return sweep.sweep();
    }
}
