package io.tlswatch.system;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** Mails a message as it is (never re-encoded) to an SMTP listener, as a reporting MTA would. */
public final class SmtpSender {

    /** The server's last reply: its code and text. */
    public record Reply(int code, String text) {
    }

    private final Session session;

    public SmtpSender(int port) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(port));
        properties.put("mail.smtp.from", "reports@sender.example");
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "120000");
        this.session = Session.getInstance(properties);
    }

    /** Sends the raw message to {@code recipient}; the reply to DATA (or the refusal before it). */
    public Reply send(byte[] rawMessage, String recipient) {
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(rawMessage));
            try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
                transport.connect();
                // sendMessage, unlike Transport.send, does not call saveChanges: the headers stay as they are.
                transport.sendMessage(message, new InternetAddress[] {new InternetAddress(recipient)});
                return new Reply(transport.getLastReturnCode(), transport.getLastServerResponse());
            }
        } catch (SMTPSendFailedException refused) {
            return new Reply(refused.getReturnCode(), refused.getMessage());
        } catch (MessagingException e) {
            throw new IllegalStateException("SMTP to 127.0.0.1 failed: " + e, e);
        }
    }
}
