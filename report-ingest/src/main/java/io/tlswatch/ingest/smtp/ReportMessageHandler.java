package io.tlswatch.ingest.smtp;

import io.tlswatch.ingest.intake.SafeText;

import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.ingest.intake.ClientRateLimiter;
import io.tlswatch.ingest.intake.Outcome;
import io.tlswatch.ingest.intake.ReportIntake;
import io.tlswatch.ingest.store.ReportStoreClient.StoreUnavailableException;
import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.mail.MailExtractor;
import io.tlswatch.tlsrpt.mail.ReportAttachment;
import io.tlswatch.tlsrpt.mail.TlsRptMail;
import io.tlswatch.tlsrpt.submission.MailMetadata;
import io.tlswatch.tlsrpt.submission.ReportSubmission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * One mail transaction, from MAIL FROM to the end of DATA (RFC 8460 §5.3). Every TLS-RPT part of the
 * message is a report, parsed and stored through {@link ReportIntake} one after the other. The
 * answer to the end of DATA:
 * <ul>
 * <li>{@code 250 2.0.0 stored N report(s)} once every report is committed (a duplicate counts as
 * stored); when some parts are invalid and others stored, still 250, naming the invalid ones;
 * <li>{@code 451 4.3.0} when report-store cannot take one now: the sender retries the whole message,
 * and what was already stored comes back as a duplicate;
 * <li>{@code 552 5.3.4} for a message over the advertised SIZE or a header block over
 * {@link #MAX_HEADER_BLOCK};
 * <li>{@code 554 5.6.0} with the reason when the message is unreadable, holds no report, holds more
 * than {@link #MAX_REPORTS} or holds only invalid ones.
 * </ul>
 * Every text that came from the message goes through {@link SafeText} first.
 *
 * <p>subethasmtp (7.2.2) leaves two things to the handler: it enforces SIZE only on MAIL FROM, not on
 * the DATA that follows, and when {@code data()} throws a {@link RejectException} it neither reads the
 * rest of the message nor ends the transaction. So this handler always reads the message to its end
 * (unread lines would otherwise be taken as commands) and ends the transaction itself before a
 * refusal, so the sender's next MAIL FROM is not met with 503 (RFC 5321 §4.1.1.4: the end of data
 * clears the transaction whatever the answer).
 */
final class ReportMessageHandler implements MessageHandler {

    private static final Logger LOG = Logger.getLogger(ReportMessageHandler.class);

    /** A real report mail holds one report; more than this is a way to fan one message out at the store. */
    static final int MAX_REPORTS = 50;
    /**
     * The header block goes to the store with every report of the message (a later DKIM check needs it
     * whole). Postfix refuses headers over 100 KiB by default; real report mails have a few KiB.
     */
    static final int MAX_HEADER_BLOCK = 256 * 1024;
    /**
     * How long one report may take to store: above what the store client itself spends at most (15 s
     * per attempt, three attempts, then it fails with StoreUnavailableException).
     */
    static final Duration STORE_WAIT = Duration.ofSeconds(60);
    /** The whole message: well inside the 10 minutes a sender waits for the answer to DATA (RFC 5321 §4.5.3.2.6). */
    static final Duration MESSAGE_DEADLINE = Duration.ofMinutes(5);
    private static final int MAX_REASON = 200;

    /** What every transaction shares: one per listener. */
    static final class Factory implements MessageHandlerFactory {
        private final ReportIntake intake;
        private final MailExtractor extractor = new MailExtractor();
        private final ClientRateLimiter messageRate;
        private final int messagesPerMinute;
        private final AcceptedDomains acceptedDomains;
        private final int maxMessageSize;
        private final MeterRegistry metrics;

        Factory(ReportIntake intake, AcceptedDomains acceptedDomains, int maxMessageSize, int messagesPerMinute,
                MeterRegistry metrics) {
            this.intake = intake;
            this.acceptedDomains = acceptedDomains;
            this.maxMessageSize = maxMessageSize;
            this.messagesPerMinute = messagesPerMinute;
            this.messageRate = new ClientRateLimiter(messagesPerMinute / 60.0, messagesPerMinute);
            this.metrics = metrics;
        }

        @Override
        public MessageHandler create(MessageContext context) {
            return new ReportMessageHandler(this, context);
        }

        void count(String outcome) {
            metrics.counter("tlswatch.ingest.smtp.messages", "outcome", outcome).increment();
        }
    }

    /** The answer to the end of DATA, and the outcome it is counted as. */
    private record Reply(int code, String text, String outcome) {
    }

    private final Factory shared;
    private final MessageContext context;
    private final String client;

    private ReportMessageHandler(Factory shared, MessageContext context) {
        this.shared = shared;
        this.context = context;
        this.client = clientAddress(context.getRemoteAddress());
    }

    @Override
    public void from(String sender) throws RejectException {
        long waitSeconds = shared.messageRate.tryAcquire(client);
        if (waitSeconds > 0) {
            shared.intake.refused(ReportSubmission.SMTP, "rate-limited", client,
                    "over " + shared.messagesPerMinute + " messages per minute");
            throw new RejectException(451, "4.7.1 too many messages from " + client + "; try again in "
                    + waitSeconds + " s");
        }
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (!shared.acceptedDomains.accepts(recipient)) {
            shared.intake.refused(ReportSubmission.SMTP, "recipient-refused", client,
                    "recipient " + SafeText.safe(recipient, 200) + " is not in " + shared.acceptedDomains);
            throw new RejectException(550, "5.1.1 <" + SafeText.safe(recipient, 200)
                    + ">: no TLS reports are taken for this domain here");
        }
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        byte[] message = readToEnd(data);
        Reply reply = message == null ? tooLarge() : deliver(message);
        shared.count(reply.outcome());
        LOG.infof("SMTP message from %s answered %d %s", client, reply.code(), reply.text());
        if (reply.code() == 250) {
            return reply.text();
        }
        endTransaction();
        throw new RejectException(reply.code(), reply.text());
    }

    @Override
    public void done() {
        // nothing held between transactions
    }

    /**
     * The whole message, or null when it is larger than the limit. A message over the limit is still
     * read to its end (and dropped) so the sender reads our 552 rather than a reset connection that it
     * would retry; only past twice the limit is the connection closed.
     */
    private byte[] readToEnd(InputStream data) throws IOException, DropConnectionException {
        long max = shared.maxMessageSize;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[8192];
        long total = 0;
        for (int n; (n = data.read(chunk)) != -1;) {
            total += n;
            if (total <= max) {
                buffer.write(chunk, 0, n);
            } else if (total > 2 * max) {
                shared.count("too-large");
                shared.intake.refused(ReportSubmission.SMTP, "too-large", client, "message past twice the size limit");
                throw new DropConnectionException(552, "5.3.4 message exceeds the maximum size of " + max
                        + " bytes; closing the connection");
            }
        }
        return total > max ? null : buffer.toByteArray();
    }

    private Reply tooLarge() {
        shared.intake.refused(ReportSubmission.SMTP, "too-large", client, "message over the size limit");
        return new Reply(552, "5.3.4 message exceeds the maximum size of " + shared.maxMessageSize + " bytes",
                "too-large");
    }

    private Reply deliver(byte[] message) {
        TlsRptMail mail;
        try {
            mail = shared.extractor.extract(message);
        } catch (InvalidReportException unreadable) {
            return new Reply(554, "5.6.0 " + SafeText.safe(unreadable.getMessage(), 200), "unreadable");
        }
        List<ReportAttachment> reports = mail.attachments();
        if (reports.isEmpty()) {
            return new Reply(554, "5.6.0 no TLS report in this message", "no-report");
        }
        if (reports.size() > MAX_REPORTS) {
            return new Reply(554, "5.6.0 the message holds " + reports.size() + " reports; at most " + MAX_REPORTS
                    + " are taken per message", "too-many-reports");
        }
        if (mail.headers().length() > MAX_HEADER_BLOCK) {
            return new Reply(552, "5.3.4 the header block exceeds " + MAX_HEADER_BLOCK + " bytes", "too-large");
        }

        long deadline = System.nanoTime() + MESSAGE_DEADLINE.toNanos();
        int stored = 0;
        int duplicates = 0;
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            ReportAttachment report = reports.get(i);
            MailMetadata metadata = new MailMetadata(mail.submitter(), mail.reportDomain(), mail.messageId(),
                    report.fileName(), mail.headers(), mail.dkimSignatures());
            Outcome outcome;
            try {
                Duration wait = Duration.ofNanos(Math.min(STORE_WAIT.toNanos(), deadline - System.nanoTime()));
                if (wait.isNegative() || wait.isZero()) {
                    return unavailable("the message took too long to store");
                }
                outcome = shared.intake.submit(ReportSubmission.SMTP, report.payload(), client, metadata)
                        .await().atMost(wait);
            } catch (StoreUnavailableException unavailable) {
                return unavailable(null); // ReportIntake has logged why
            } catch (io.smallrye.mutiny.TimeoutException timeout) {
                return unavailable("report-store did not answer within " + STORE_WAIT.toSeconds() + " s");
            } catch (RuntimeException unexpected) {
                // Safer to have the sender retry than to lose or wrongly refuse the report.
                LOG.errorf(unexpected, "SMTP message from %s: storing report %d failed", client, i + 1);
                return unavailable("unexpected failure");
            }
            switch (outcome.kind()) {
                case STORED -> stored++;
                case DUPLICATE -> {
                    stored++;
                    duplicates++;
                }
                case INVALID -> invalid.add(describe(i, reports.size(), report, outcome.error()));
            }
        }
        if (stored == 0) {
            return new Reply(554, SafeText.safe("5.6.0 no valid TLS report: " + String.join("; ", invalid),
                    SafeText.MAX_REPLY), "invalid");
        }
        String text = "2.0.0 stored " + stored + " report(s)"
                + (duplicates == 0 ? "" : ", " + duplicates + " of them already stored before");
        if (invalid.isEmpty()) {
            return new Reply(250, text, "stored");
        }
        return new Reply(250, SafeText.safe(text + "; " + invalid.size() + " invalid: " + String.join("; ", invalid),
                SafeText.MAX_REPLY), "partial");
    }

    private Reply unavailable(String why) {
        if (why != null) {
            LOG.warnf("SMTP message from %s not stored, sender must retry: %s", client, why);
        }
        return new Reply(451, "4.3.0 the report store is unavailable; try again later", "unavailable");
    }

    /** {@code report 2 of 3 "name.json": reason}, safe for a reply. */
    private static String describe(int index, int count, ReportAttachment report, InvalidReportException error) {
        String name = report.fileName() == null ? "" : " \"" + SafeText.safe(report.fileName(), 80) + "\"";
        return SafeText.safe("report " + (index + 1) + " of " + count + name + ": " + error.getMessage(), MAX_REASON);
    }

    /**
     * Ends the transaction after a refused DATA, which subethasmtp leaves open (see the class comment).
     * The context is the library's Session; were it ever not, the sender's RSET still recovers.
     */
    private void endTransaction() {
        if (context instanceof Session session) {
            session.resetMailTransaction();
        }
    }

    private static String clientAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return "unknown";
    }
}
