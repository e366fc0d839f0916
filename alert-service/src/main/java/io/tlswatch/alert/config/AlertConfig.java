package io.tlswatch.alert.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** alert-service's own settings ({@code tlswatch.*}, env {@code TLSWATCH_*}). */
@ConfigMapping(prefix = "tlswatch")
public interface AlertConfig {

    /** Bearer token for this service's {@code /api/*} (POST /api/v1/sweeps). Required in production. */
    Optional<String> adminToken();

    /** Bearer token for report-store's {@code /internal/*}. Required in production. */
    Optional<String> internalToken();

    /** Where the dashboard is (report-store serves it); alert mails link to the domain's page there. */
    @WithDefault("http://localhost:8082")
    String dashboardUrl();

    Alert alert();

    interface Alert {
        /** How often the sweep runs on its own (it also runs on POST /api/v1/sweeps). */
        @WithDefault("30s")
        Duration sweepInterval();

        /**
         * The quiet period after an alert. report-store enforces it; alert-service only shows it in the
         * mail, and prefers report-store's own value whenever report-store tells it (the alert context).
         */
        @WithDefault("P7D")
        Duration suppressionWindow();

        /** The name of the sweep's durable cursor in report-store; every replica shares it. */
        @WithDefault("alert-sweep")
        String cursorName();

        /** Reports per page of failure events (report-store allows 1 to 1000). */
        @WithDefault("100")
        int pageSize();

        /** Pages one sweep reads at most; the next sweep goes on from there. */
        @WithDefault("20")
        int maxPagesPerSweep();

        /** Domains alerted at once within a sweep. */
        @WithDefault("4")
        int concurrency();

        /**
         * How long the mail server may take to accept one alert. Keep it well under report-store's claim
         * lease (5 minutes), or another sweep may take the claim over while the mail is still being sent.
         */
        @WithDefault("60s")
        Duration sendTimeout();
    }
}
