package io.tlswatch.store.alert;

import java.time.Instant;

/**
 * A claim that cannot be won now, or an outcome for a claim that is no longer held. Mapped to 409 with
 * the reason and the time it ends, so the caller knows whether and when to try again.
 */
public class AlertConflictException extends RuntimeException {

    /** The domain was alerted within the suppression window. */
    public static final String SUPPRESSED = "suppressed";
    /** Another sweep holds an unexpired claim. */
    public static final String IN_FLIGHT = "in-flight";
    /** The last send failed and its retry time has not come. */
    public static final String RETRY_PENDING = "retry-pending";
    /** The domain's TLS reporting is off: its failures are never alerted. */
    public static final String TLS_REPORTING_OFF = "tls-reporting-off";
    /** The claim token does not hold this alert (any more): another sweep owns it, or it is finished. */
    public static final String CLAIM_NOT_HELD = "claim-not-held";

    private final AlertProblem problem;

    private AlertConflictException(AlertProblem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public AlertProblem problem() {
        return problem;
    }

    static AlertConflictException suppressed(String domain, Instant until) {
        return new AlertConflictException(AlertProblem.conflict("Alert suppressed", SUPPRESSED,
                domain + " was alerted within the suppression window; the next alert can go out at " + until,
                domain).withSuppressedUntil(until));
    }

    static AlertConflictException inFlight(String domain, Instant until) {
        return new AlertConflictException(AlertProblem.conflict("Alert in flight", IN_FLIGHT,
                "another sweep holds the alert claim of " + domain + " until " + until, domain)
                .withInFlightUntil(until));
    }

    static AlertConflictException retryPending(String domain, Instant retryAt) {
        return new AlertConflictException(AlertProblem.conflict("Alert retry pending", RETRY_PENDING,
                "the last alert for " + domain + " failed to send; it can be retried at " + retryAt, domain)
                .withRetryAt(retryAt));
    }

    static AlertConflictException tlsReportingOff(String domain) {
        return new AlertConflictException(AlertProblem.conflict("TLS reporting off", TLS_REPORTING_OFF,
                "TLS reporting is off for " + domain + ": its failures are not alerted", domain));
    }

    static AlertConflictException claimNotHeld(long alertId, String domain, String status) {
        return new AlertConflictException(AlertProblem.conflict("Claim not held", CLAIM_NOT_HELD,
                "alert " + alertId + " is " + status + " and this claim no longer holds it: its lease expired and "
                        + "another sweep took the alert over, or another outcome was already recorded", domain)
                .withAlert(alertId, status));
    }
}
