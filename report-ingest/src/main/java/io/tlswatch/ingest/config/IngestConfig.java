package io.tlswatch.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** report-ingest's own settings ({@code tlswatch.*}, env {@code TLSWATCH_*}). */
@ConfigMapping(prefix = "tlswatch")
public interface IngestConfig {

    /** Bearer token for report-store's {@code /internal/*}. Required in production. */
    Optional<String> internalToken();

    Ingest ingest();

    interface Ingest {
        /** Largest report accepted as delivered (gzip or JSON); RFC 8460 §5.2 names 10 MB. */
        @WithDefault("10485760")
        long maxReportSize();

        /** Largest JSON accepted after inflating gzip. */
        @WithDefault("104857600")
        long maxDecompressedSize();

        /** Inflated size may not exceed this multiple of the compressed size (gzip bombs). */
        @WithDefault("200")
        int maxCompressionRatio();

        RateLimit rateLimit();

        Smtp smtp();

        /** Port of the SMTP listener (a Kubernetes Service maps port 25 to it). */
        @WithDefault("2525")
        int smtpPort();

        /** Recipient domains the SMTP listener accepts mail for; empty accepts every recipient. */
        Optional<List<String>> acceptedRecipientDomains();
    }

    /** Per client address, over both channels' own buckets. */
    interface RateLimit {
        /** Sustained HTTP reports per second per client address. */
        @WithDefault("10")
        double requestsPerSecond();

        /** Reports a client may send at once before the sustained rate applies. */
        @WithDefault("50")
        int burst();
    }

    interface Smtp {
        /** Advertised as SIZE and enforced; a 10 MiB gzip report is 14 MiB in base64. */
        @WithDefault("16777216")
        int maxMessageSize();

        /** Concurrent SMTP sessions in all. */
        @WithDefault("200")
        int maxConnections();

        /** Concurrent SMTP sessions from one client address. */
        @WithDefault("10")
        int maxConnectionsPerClient();

        /** Sustained messages per minute from one client address (burst: the same number). */
        @WithDefault("60")
        int messagesPerMinutePerClient();

        /** Name announced in the greeting and Received headers. */
        @WithDefault("tlswatch")
        String hostName();

        /** The Quarkus TLS configuration ({@code quarkus.tls.<name>.*}) whose certificate STARTTLS offers. */
        @WithDefault("smtp")
        String tlsConfigurationName();
    }
}
