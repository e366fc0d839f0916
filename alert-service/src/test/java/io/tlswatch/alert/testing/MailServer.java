package io.tlswatch.alert.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on a dynamic port, for the alert mails. One per test JVM; tests can
 * stop it and start it again on the same port to play a mail server outage.
 */
public class MailServer implements QuarkusTestResourceLifecycleManager {

    private static GreenMail greenMail;
    private static int port;

    @Override
    public synchronized Map<String, String> start() {
        if (greenMail == null) {
            startServer(port);
        }
        try {
            clear();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(port));
    }

    @Override
    public void stop() {
        // lives as long as the JVM, across Quarkus restarts for other test profiles
    }

    private static void startServer(int wantedPort) {
        ServerSetup setup = new ServerSetup(wantedPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        greenMail = new GreenMail(wantedPort == 0 ? setup.dynamicPort() : setup);
        greenMail.start();
        port = greenMail.getSmtp().getPort();
    }

    /** Every message the server took since the last {@link #clear()}. */
    public static synchronized List<MimeMessage> messages() {
        return greenMail == null ? List.of() : List.of(greenMail.getReceivedMessages());
    }

    /** The messages in one recipient's mailbox (GreenMail keeps one copy per recipient). */
    public static synchronized List<MimeMessage> inbox(String address) {
        if (greenMail == null) {
            return List.of();
        }
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(StoredMessage::getMimeMessage).toList();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Distinct messages the server took (a message to three recipients counts once). */
    public static List<MimeMessage> distinctMessages() {
        Map<String, MimeMessage> byId = new LinkedHashMap<>();
        for (MimeMessage message : messages()) {
            try {
                byId.putIfAbsent(message.getMessageID(), message);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(byId.values());
    }

    public static synchronized void clear() throws Exception {
        if (greenMail != null) {
            greenMail.purgeEmailFromAllMailboxes();
        }
    }

    /** The mail server goes away: connections are refused. */
    public static synchronized void down() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    /** The mail server is back, on the same port. */
    public static synchronized void up() {
        if (greenMail == null) {
            startServer(port);
        }
    }
}
