package io.tlswatch.store.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** report-store's own settings ({@code tlswatch.*}, env {@code TLSWATCH_*}). */
@ConfigMapping(prefix = "tlswatch")
public interface StoreConfig {

    /** Bearer token for {@code /api/*}. Required in production. */
    Optional<String> adminToken();

    /** Bearer token for {@code /internal/*} (report-ingest and alert-service). Required in production. */
    Optional<String> internalToken();

    /** Base URL of the dashboard, for links. */
    Optional<String> dashboardUrl();

    Ingest ingest();

    Alert alert();

    Dashboard dashboard();

    /** Where reporting MTAs reach this deployment: goes into the {@code _smtp._tls} record to publish. */
    interface Ingest {
        /** Public base URL of report-ingest, e.g. {@code https://tlsrpt.example.com}. */
        Optional<String> publicUrl();

        /** Address the SMTP listener receives reports at, e.g. {@code tlsrpt@tlsrpt.example.com}. */
        Optional<String> publicMailAddress();
    }

    interface Alert {
        /** How long a domain stays quiet after an alert was sent. */
        @WithDefault("P7D")
        Duration suppressionWindow();

        /** A claim neither marked sent nor failed within this is released. */
        @WithDefault("PT5M")
        Duration claimLease();
    }

    /** The dashboard served at {@code /}: its first admin and its cookies. */
    interface Dashboard {
        /**
         * User name of the admin created at startup (with {@link #adminPassword()}); when the user exists,
         * its password and role are set again from configuration. Without both, no admin is created.
         */
        Optional<String> adminUser();

        /** That admin's password; only its bcrypt hash is stored. */
        Optional<String> adminPassword();

        /**
         * Mark the session and CSRF cookies {@code Secure}, so browsers send them over HTTPS only. Switch
         * off ({@code TLSWATCH_DASHBOARD_SECURE_COOKIES=false}) only to sign in over plain http on a local run.
         */
        @WithDefault("true")
        boolean secureCookies();
    }
}
