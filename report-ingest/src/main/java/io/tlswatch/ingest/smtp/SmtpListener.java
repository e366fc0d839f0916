package io.tlswatch.ingest.smtp;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.tlswatch.ingest.config.IngestConfig;
import io.tlswatch.ingest.intake.ReportIntake;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jboss.logging.Logger;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The SMTP listener for the {@code mailto:} address of a domain's rua (RFC 8460 §5.3), on
 * {@code tlswatch.ingest.smtp-port} (a Kubernetes Service maps port 25 to it). Built on subethasmtp:
 * SIZE advertised and enforced, connections limited in all and per client address, messages per
 * minute per client, and STARTTLS offered when the Quarkus TLS configuration named by
 * {@code tlswatch.ingest.smtp.tls-configuration-name} (default {@code smtp}, so
 * {@code quarkus.tls.smtp.key-store.*}) holds a certificate. What happens to each message is
 * {@link ReportMessageHandler}'s.
 */
@ApplicationScoped
public class SmtpListener {

    private static final Logger LOG = Logger.getLogger(SmtpListener.class);
    /** RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for a command or a block of data. */
    static final int CONNECTION_TIMEOUT_MINUTES = 5;
    /** RFC 5321 §4.5.3.1.8 asks for at least 100; one report mailbox needs far fewer. */
    static final int MAX_RECIPIENTS = 100;

    private final IngestConfig config;
    private final ReportIntake intake;
    private final TlsConfigurationRegistry tlsRegistry;
    private final MeterRegistry metrics;
    private volatile SSLContext sslContext;
    private volatile List<String> tlsProtocols = List.of();
    private volatile List<String> tlsCipherSuites = List.of();
    private SMTPServer server;

    SmtpListener(IngestConfig config, ReportIntake intake, TlsConfigurationRegistry tlsRegistry, MeterRegistry metrics) {
        this.config = config;
        this.intake = intake;
        this.tlsRegistry = tlsRegistry;
        this.metrics = metrics;
    }

    synchronized void start(@Observes StartupEvent startup) throws Exception {
        IngestConfig.Smtp smtp = config.ingest().smtp();
        AcceptedDomains domains = AcceptedDomains.of(config.ingest().acceptedRecipientDomains());
        SMTPServer.Builder builder = SMTPServer.port(config.ingest().smtpPort())
                .hostName(smtp.hostName())
                .softwareName("TLSWatch")
                .messageHandlerFactory(new ReportMessageHandler.Factory(intake, domains, smtp.maxMessageSize(),
                        smtp.messagesPerMinutePerClient(), metrics))
                .maxMessageSize(smtp.maxMessageSize())
                .maxConnections(smtp.maxConnections())
                .sessionHandler(perClientLimit(smtp.maxConnectionsPerClient()))
                .maxRecipients(MAX_RECIPIENTS)
                // The envelope sender is never written to: take whatever reporters and forwarders (SRS)
                // put there, the null sender included, rather than refuse a report over its syntax.
                .fromAddressValidator(sender -> true)
                .connectionTimeout(CONNECTION_TIMEOUT_MINUTES, TimeUnit.MINUTES)
                // The header block is stored as the sender wrote it, for a DKIM check; the sender's
                // address is stored beside it anyway.
                .insertReceivedHeaders(false);
        Optional<TlsConfiguration> tls = certificate(smtp.tlsConfigurationName());
        if (tls.isPresent()) {
            useCertificate(tls.get());
            builder.enableTLS().startTlsSocketFactory(this::startTls);
        }
        server = builder.build();
        server.start();
        LOG.infof("SMTP listener on port %d (STARTTLS %s), taking mail for %s, messages up to %d bytes",
                server.getPortAllocated(), tls.isPresent() ? "offered" : "not offered", domains, smtp.maxMessageSize());
    }

    synchronized void stop(@Observes ShutdownEvent shutdown) {
        if (server != null) {
            // Sessions still storing a report finish (within ReportMessageHandler's bounds) and answer.
            server.stop();
            server = null;
        }
    }

    /** A rotated certificate (quarkus.tls.<name>.reload-period, or a reload) is used from the next STARTTLS on. */
    void certificateUpdated(@Observes CertificateUpdatedEvent event) throws Exception {
        if (sslContext != null && event.name().equals(config.ingest().smtp().tlsConfigurationName())) {
            useCertificate(event.tlsConfiguration());
            LOG.infof("SMTP listener: STARTTLS certificate of TLS configuration %s reloaded", event.name());
        }
    }

    /** The port the listener is bound to (the free port picked when configured as 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the SMTP listener is not running");
        }
        return server.getPortAllocated();
    }

    /** True when EHLO offers STARTTLS. */
    public boolean startTlsOffered() {
        return sslContext != null;
    }

    private Optional<TlsConfiguration> certificate(String name) {
        Optional<TlsConfiguration> tls = tlsRegistry.get(name);
        if (tls.isPresent() && tls.get().getKeyStore() == null) {
            LOG.warnf("TLS configuration %s has no key store: the SMTP listener does not offer STARTTLS", name);
            return Optional.empty();
        }
        return tls;
    }

    private void useCertificate(TlsConfiguration tls) throws Exception {
        SSLContext context = tls.createSSLContext();
        io.vertx.core.net.SSLOptions options = tls.getSSLOptions();
        tlsProtocols = options == null ? List.of() : List.copyOf(options.getEnabledSecureTransportProtocols());
        tlsCipherSuites = options == null ? List.of() : List.copyOf(options.getEnabledCipherSuites());
        sslContext = context;
    }

    /**
     * The server side of STARTTLS. Unlike subethasmtp's own factory this neither looks the client's name
     * up in DNS nor enables every protocol and cipher suite the JDK knows: it keeps the protocols of the
     * Quarkus TLS configuration (TLSv1.3 and TLSv1.2 unless configured) and its cipher suites if any.
     */
    private SSLSocket startTls(Socket socket) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        SSLSocket tls = (SSLSocket) sslContext.getSocketFactory()
                .createSocket(socket, remote.getHostString(), socket.getPort(), true);
        tls.setUseClientMode(false);
        String[] protocols = supported(tlsProtocols, tls.getSupportedProtocols());
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        String[] suites = supported(tlsCipherSuites, tls.getSupportedCipherSuites());
        if (suites.length > 0) {
            tls.setEnabledCipherSuites(suites);
        }
        return tls;
    }

    private static String[] supported(List<String> wanted, String[] supported) {
        Set<String> available = Set.of(supported);
        return wanted.stream().filter(available::contains).toArray(String[]::new);
    }

    /** subethasmtp's per-address limit, counted, and answered with an enhanced status code. */
    private SessionHandler perClientLimit(int maxPerClient) {
        SessionHandler limit = SessionHandler.limitConcurrentSessionsBySource(maxPerClient);
        return new SessionHandler() {
            @Override
            public SessionAcceptance accept(Session session) {
                SessionAcceptance acceptance = limit.accept(session);
                if (acceptance.accepted()) {
                    return acceptance;
                }
                String client = session.getRealRemoteAddress().getAddress().getHostAddress();
                intake.refused(ReportSubmission.SMTP, "connection-limited", client,
                        "over " + maxPerClient + " concurrent SMTP sessions");
                return SessionAcceptance.failure(421, "4.7.0 too many connections from " + client
                        + "; try again later");
            }

            @Override
            public void onSessionEnd(Session session) {
                limit.onSessionEnd(session);
            }
        };
    }
}
