package io.tlswatch.store.alert;

/**
 * The states of a row of {@code alert}, one alert slot of a domain: claimed by a sweep, then sent,
 * failed (released for a retry) or no-recipients. A sent alert starts the suppression window; a
 * failed one (or no-recipients) never does. {@link AlertService} holds the rules.
 */
public final class AlertStatus {

    public static final String CLAIMED = "claimed";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String NO_RECIPIENTS = "no-recipients";

    private AlertStatus() {
    }
}
