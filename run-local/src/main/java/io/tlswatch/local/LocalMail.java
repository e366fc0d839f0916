package io.tlswatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The mail catcher of {@code run-local.sh}: a real SMTP server (GreenMail) that keeps every alert
 * mail in memory, readable by a person at {@code http://127.0.0.1:VIEW_PORT/} (newest first, the
 * plain-text and the HTML part of each) or with a mail client over IMAP (any user name and password),
 * and by programs at {@code /api/messages}. GreenMail standalone's own web page is only a Swagger UI
 * over its REST API, with no way to read a message, hence this small page.
 *
 * <p>{@code java -cp tlswatch-run-local.jar io.tlswatch.local.LocalMail SMTP_PORT IMAP_PORT VIEW_PORT};
 * prints {@code READY} once all three listen, then runs until stopped (SIGTERM or Ctrl-C).
 */
public final class LocalMail {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GreenMail greenMail;

    private LocalMail(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java -cp tlswatch-run-local.jar io.tlswatch.local.LocalMail SMTP_PORT IMAP_PORT VIEW_PORT");
            System.exit(2);
        }
        int smtp = Integer.parseInt(args[0]);
        int imap = Integer.parseInt(args[1]);
        int view = Integer.parseInt(args[2]);
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
                // Any address is accepted and gets its own mailbox; IMAP takes any password.
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        LocalMail mail = new LocalMail(greenMail);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", view), 0);
        server.createContext("/", mail::handle);
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            greenMail.stop();
            stopped.countDown();
        }));
        System.out.println("READY smtp=" + smtp + " imap=" + imap + " view=" + view);
        System.out.flush();
        stopped.await();
    }

    /** The messages received, newest first; a mail to two recipients is kept once per mailbox. */
    private List<MimeMessage> newestFirst() {
        List<MimeMessage> messages = new ArrayList<>(Arrays.asList(greenMail.getReceivedMessages()));
        java.util.Collections.reverse(messages);
        return messages;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            List<MimeMessage> messages = newestFirst();
            if (path.equals("/")) {
                send(exchange, 200, "text/html", listPage(messages));
            } else if (path.equals("/api/messages")) {
                List<Map<String, Object>> items = new ArrayList<>();
                for (int i = 0; i < messages.size(); i++) {
                    items.add(summary(i, messages.get(i)));
                }
                send(exchange, 200, "application/json", JSON.writeValueAsString(items));
            } else if (path.matches("/messages/\\d+(\\.html|\\.eml)?")) {
                String name = path.substring("/messages/".length());
                int index = Integer.parseInt(name.replaceAll("\\D.*", ""));
                if (index >= messages.size()) {
                    send(exchange, 404, "text/plain", "no such message");
                    return;
                }
                MimeMessage message = messages.get(index);
                if (name.endsWith(".eml")) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.writeTo(raw);
                    send(exchange, 200, "text/plain", raw.toString(StandardCharsets.UTF_8));
                } else if (name.endsWith(".html")) {
                    // The alert's own HTML, shown as is but unable to run script or load anything.
                    exchange.getResponseHeaders().set("Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
                    String html = part(message, "text/html");
                    send(exchange, 200, "text/html", html == null ? "(no HTML part)" : html);
                } else {
                    send(exchange, 200, "text/html", messagePage(index, message));
                }
            } else {
                send(exchange, 404, "text/plain", "not found");
            }
        } catch (MessagingException e) {
            send(exchange, 500, "text/plain", "could not read the message: " + e.getMessage());
        }
    }

    private static Map<String, Object> summary(int index, MimeMessage message) throws MessagingException {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("index", index);
        item.put("date", message.getSentDate() == null ? null : message.getSentDate().toInstant().toString());
        item.put("from", addresses(message.getFrom()));
        item.put("to", addresses(message.getRecipients(Message.RecipientType.TO)));
        item.put("subject", message.getSubject());
        return item;
    }

    private static String listPage(List<MimeMessage> messages) throws MessagingException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            MimeMessage m = messages.get(i);
            rows.append("<tr><td>").append(escape(String.valueOf(m.getSentDate())))
                    .append("</td><td>").append(escape(addresses(m.getRecipients(Message.RecipientType.TO))))
                    .append("</td><td><a href=\"/messages/").append(i).append("\">")
                    .append(escape(String.valueOf(m.getSubject()))).append("</a></td></tr>\n");
        }
        return page("TLSWatch: alert mail caught locally", """
                <p>Every mail alert-service sent while <code>run-local.sh</code> runs (kept in memory until it stops),
                newest first. Also over IMAP on this machine with any user name and password.</p>
                <table><tr><th>Date</th><th>To</th><th>Subject</th></tr>
                %s</table>%s""".formatted(rows, messages.isEmpty() ? "<p>No mail yet.</p>" : ""));
    }

    private static String messagePage(int index, MimeMessage message) throws MessagingException, IOException {
        String text = part(message, "text/plain");
        return page(String.valueOf(message.getSubject()), """
                <p><a href="/">All mail</a> · <a href="/messages/%1$d.html">HTML part</a> ·
                <a href="/messages/%1$d.eml">Raw message</a></p>
                <table><tr><th>From</th><td>%2$s</td></tr><tr><th>To</th><td>%3$s</td></tr>
                <tr><th>Date</th><td>%4$s</td></tr></table>
                <pre>%5$s</pre>""".formatted(index, escape(addresses(message.getFrom())),
                escape(addresses(message.getRecipients(Message.RecipientType.TO))),
                escape(String.valueOf(message.getSentDate())), escape(text == null ? "(no text part)" : text)));
    }

    /** The first part of the given type, searched depth first. */
    private static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>%1$s</title>
                <style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .8em;text-align:left;vertical-align:top}
                pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style></head>
                <body><h1>%1$s</h1>%2$s</body></html>""".formatted(escape(title), body);
    }

    private static String addresses(jakarta.mail.Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        List<String> plain = new ArrayList<>();
        for (jakarta.mail.Address a : addresses) {
            plain.add(a instanceof InternetAddress internet ? internet.getAddress() : a.toString());
        }
        return String.join(", ", plain);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
