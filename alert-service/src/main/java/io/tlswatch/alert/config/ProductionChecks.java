package io.tlswatch.alert.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Refuses to start in production without what alerting needs: the admin token (for /api/*), the
 * internal token (to reach report-store) and a mail server. Quarkus' own default mail host is
 * "localhost", which in a pod is never a mail server, so the host has to be set on purpose (or the
 * mailer explicitly mocked, which only logs the mails: for trying TLSWatch out).
 */
@ApplicationScoped
public class ProductionChecks {

    void onStart(@Observes StartupEvent startup, AlertConfig alert, Config config) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> missing = missing(alert, config);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("alert-service cannot start: set " + String.join(", ", missing));
        }
    }

    static List<String> missing(AlertConfig alert, Config config) {
        List<String> missing = new ArrayList<>();
        if (alert.adminToken().filter(t -> !t.isBlank()).isEmpty()) {
            missing.add("TLSWATCH_ADMIN_TOKEN (tlswatch.admin-token, the bearer token for /api/*)");
        }
        if (alert.internalToken().filter(t -> !t.isBlank()).isEmpty()) {
            missing.add("TLSWATCH_INTERNAL_TOKEN (tlswatch.internal-token, to reach report-store)");
        }
        boolean mock = config.getOptionalValue("quarkus.mailer.mock", Boolean.class).orElse(false);
        if (!mock && !explicitlySet(config.getConfigValue("quarkus.mailer.host"))) {
            missing.add("QUARKUS_MAILER_HOST (quarkus.mailer.host, the SMTP server that sends the alerts; "
                    + "or QUARKUS_MAILER_MOCK=true to only log them)");
        }
        return missing;
    }

    /** Set by the operator (environment, system property, a config file), not Quarkus' built-in default. */
    private static boolean explicitlySet(ConfigValue value) {
        return value.getValue() != null && !value.getValue().isBlank() && value.getSourceOrdinal() > 0;
    }
}
