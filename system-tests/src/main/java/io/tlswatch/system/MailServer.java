package io.tlswatch.system;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMTP server alert-service sends to: GreenMail on a port chosen once, so it can be stopped (a mail
 * server outage) and started again where alert-service expects it. What it received is kept across a
 * stop, as a real server's spool would be.
 */
public final class MailServer implements AutoCloseable {

    private final int port;
    private final List<MimeMessage> earlier = new ArrayList<>();
    private GreenMail greenMail;

    public MailServer() {
        this.port = ServiceProcess.freePort();
    }

    public synchronized MailServer start() {
        if (greenMail != null) {
            return this;
        }
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        return this;
    }

    public synchronized void stop() {
        if (greenMail != null) {
            earlier.addAll(List.of(greenMail.getReceivedMessages()));
            greenMail.stop();
            greenMail = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** Every message received, one copy per recipient mailbox. */
    public synchronized List<MimeMessage> messages() {
        List<MimeMessage> all = new ArrayList<>(earlier);
        if (greenMail != null) {
            all.addAll(List.of(greenMail.getReceivedMessages()));
        }
        return all;
    }

    /** The messages the server took, a message to several recipients counted once (by Message-ID). */
    public List<MimeMessage> distinctMessages() {
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

    /** The messages delivered to one address's mailbox (while the server has run since its last start). */
    public synchronized List<StoredMessage> inbox(String address) {
        if (greenMail == null) {
            return List.of();
        }
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        try {
            return List.copyOf(greenMail.getManagers().getImapHostManager().getInbox(user).getMessages());
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }
}
