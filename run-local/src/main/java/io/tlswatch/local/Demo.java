package io.tlswatch.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code run-local.sh --demo}: registers an organisation with two of the samples' domains and an
 * alert address through the admin API, sends every sample report the way it came (JSON and gzip
 * over HTTPS to {@code /v1/tlsrpt}, mail over SMTP to the listener), then runs a sweep so the
 * alerts land in the mail catcher at once. Safe to run again: what exists is reused, reports
 * already stored come back as duplicates, and a domain alerted within 7 days stays quiet.
 *
 * <p>Arguments: STORE_URL INGEST_URL INGEST_SMTP_PORT ALERT_URL SAMPLES_DIR; the admin token comes
 * from {@code TLSWATCH_ADMIN_TOKEN}.
 */
public final class Demo {

    static final String ORGANISATION = "Demo organisation";
    /** The domains the samples report failures for (the RFC 8460 example and the mail.ru report). */
    static final List<String> DOMAINS = List.of("company-y.example", "example.com");
    /** Out of band: not at one of the monitored domains, so TLS failures there cannot block the alert. */
    static final String RECIPIENT = "mail-admins@ops.demo.test";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String store;
    private final String ingest;
    private final int smtpPort;
    private final String alert;
    private final String token;

    private Demo(String store, String ingest, int smtpPort, String alert, String token) {
        this.store = store;
        this.ingest = ingest;
        this.smtpPort = smtpPort;
        this.alert = alert;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || System.getenv("TLSWATCH_ADMIN_TOKEN") == null) {
            System.err.println("usage: TLSWATCH_ADMIN_TOKEN=... java -cp tlswatch-run-local.jar io.tlswatch.local.Demo "
                    + "STORE_URL INGEST_URL INGEST_SMTP_PORT ALERT_URL SAMPLES_DIR");
            System.exit(2);
        }
        Demo demo = new Demo(args[0], args[1], Integer.parseInt(args[2]), args[3], System.getenv("TLSWATCH_ADMIN_TOKEN"));
        demo.register();
        demo.sendSamples(Path.of(args[4]));
        demo.sweep();
    }

    private void register() throws IOException, InterruptedException {
        long organisation = -1;
        for (JsonNode existing : call("GET", store + "/api/v1/organisations", null, 200)) {
            if (existing.path("name").asText().equals(ORGANISATION)) {
                organisation = existing.path("id").asLong();
            }
        }
        if (organisation < 0) {
            organisation = call("POST", store + "/api/v1/organisations", JSON.createObjectNode().put("name", ORGANISATION),
                    201).path("id").asLong();
        }
        String base = store + "/api/v1/organisations/" + organisation;
        for (String domain : DOMAINS) {
            call("POST", base + "/domains", JSON.createObjectNode().put("name", domain), 201, 409);
        }
        call("POST", base + "/alert-recipients", JSON.createObjectNode().put("address", RECIPIENT), 201, 409);
        System.out.printf("Organisation \"%s\" (id %d): domains %s, alert address %s%n", ORGANISATION, organisation,
                String.join(", ", DOMAINS), RECIPIENT);
        for (String domain : DOMAINS) {
            JsonNode record = call("GET", store + "/api/v1/domains/" + domain, null, 200).path("dns-record");
            System.out.printf("  publish: %s %s \"%s\"%n", record.path("name").asText(), record.path("type").asText(),
                    record.path("value").asText());
        }
    }

    private void sendSamples(Path dir) throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(dir)) {
            samples = files.filter(f -> f.toString().matches(".*\\.(json|gz|eml)$")).sorted().toList();
        }
        for (Path sample : samples) {
            String name = sample.getFileName().toString();
            byte[] bytes = Files.readAllBytes(sample);
            if (name.endsWith(".eml")) {
                System.out.printf("  SMTP  %-48s %s%n", name, sendMail(bytes));
            } else {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ingest + "/v1/tlsrpt"))
                        .header("Content-Type", name.endsWith(".gz") ? "application/tlsrpt+gzip" : "application/tlsrpt+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
                System.out.printf("  HTTPS %-48s %d %s%n", name, response.statusCode(), oneLine(response.body()));
            }
        }
    }

    /** The message as it is (never re-encoded: no saveChanges), to any address of the listener. */
    private String sendMail(byte[] eml) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(smtpPort));
        properties.put("mail.smtp.from", "reports@sender.demo.test");
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(eml));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, new InternetAddress[] {new InternetAddress("tlsrpt@localhost")});
            return oneLine(((org.eclipse.angus.mail.smtp.SMTPTransport) transport).getLastServerResponse());
        } catch (jakarta.mail.MessagingException e) {
            return "refused: " + oneLine(e.getMessage());
        }
    }

    private void sweep() throws IOException, InterruptedException {
        JsonNode result = call("POST", alert + "/api/v1/sweeps", null, 200);
        for (JsonNode alerted : result.path("alerted")) {
            System.out.printf("Alert sent for %s to %s%n", alerted.path("domain").asText(), alerted.path("recipients"));
        }
        for (JsonNode suppressed : result.path("suppressed")) {
            System.out.printf("No alert for %s: one was sent already, quiet until %s%n",
                    suppressed.path("domain").asText(), suppressed.path("until").asText());
        }
        for (JsonNode failed : result.path("failed")) {
            System.out.printf("Alert for %s could not be sent (%s); retried later%n", failed.path("domain").asText(),
                    failed.path("error").asText());
        }
    }

    private JsonNode call(String method, String url, JsonNode body, int... expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            }
        }
        throw new IOException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
