package io.tlswatch.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * Many small, unique TLS-RPT reports for {@link StoreBenchmark}: what report-store receives on an
 * ordinary day, one report per sender per policy domain per day, deterministic for a seed.
 *
 * <ul>
 *   <li>Senders, as in {@code ../shared/samples/tlsrpt}: Google (40%, compact, one STS policy with
 *       mx-host), Microsoft (30%, pretty-printed with four spaces, STS plus a TLSA policy for the half
 *       of the domains that publish DANE records), and 30% others (Yahoo, Mail.ru, Comcast, Zoho,
 *       Fastmail, GMX; pretty-printed with two spaces, one STS policy).</li>
 *   <li>90% report only successful sessions; 10% have 1 to 3 failure details (result types weighted
 *       as in {@link ReportGenerator}, receiving MX host and often its IP, a failure-reason-code where
 *       the type has one), the summary's failure count being the details' sum.</li>
 *   <li>Domains: a tenth of the registered domains (the first tenth of the list) get half the reports;
 *       92% of policies name a registered domain, 4% a subdomain of one ({@code mail.}, claimed by its
 *       parent), 4% one of 40 unregistered domains (unclaimed).</li>
 *   <li>Period: yesterday (UTC) for 85%, the day before for 10%, and 5% start at some hour of
 *       yesterday (senders that do not align on UTC days).</li>
 *   <li>Report-ids are the sender's usual form with the sequence number in them, so every report of a
 *       run is new.</li>
 * </ul>
 *
 * Sizes: about 0.6 KiB (Google, all successful) to 1.6 KiB (Microsoft with TLSA and failures); the
 * mean is printed by {@code main}.
 */
public final class StoreReportGenerator {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] RESULT_TYPES = {
            "starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
            "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
            "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid"};
    private static final int[] RESULT_WEIGHTS = {22, 14, 12, 18, 10, 3, 2, 1, 9, 4, 5};
    private static final String[] OTHERS = {"Yahoo", "Mail.ru", "Comcast", "Zoho Corporation", "Fastmail Pty Ltd",
            "GMX"};
    private static final String[] OTHER_CONTACTS = {"tlsrpt@yahooinc.com", "tls_support@corp.mail.ru",
            "tlsrpt@comcast.net", "tls-reports@zoho.com", "tlsrpt@fastmail.com", "tlsrpt@gmx.net"};

    private final Random random;
    private final List<String> domains;
    private final Instant yesterday;

    /**
     * @param domains registered domains, busiest first (the first tenth gets half the reports)
     * @param today   the UTC day the reports arrive; they cover the days before
     */
    public StoreReportGenerator(long seed, List<String> domains, Instant today) {
        this.random = new Random(seed);
        this.domains = List.copyOf(domains);
        this.yesterday = today.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    }

    /** The report with sequence number {@code sequence}: call with 0, 1, 2, ... */
    public byte[] next(long sequence) {
        String registered = pickDomain();
        int variant = random.nextInt(100);
        String policyDomain = variant < 92 ? registered
                : variant < 96 ? "mail." + registered
                : "unclaimed-" + random.nextInt(40) + ".example";
        int when = random.nextInt(100);
        Instant start = when < 85 ? yesterday
                : when < 95 ? yesterday.minus(1, ChronoUnit.DAYS)
                : yesterday.plus(1 + random.nextInt(23), ChronoUnit.HOURS);
        Instant end = start.plus(1, ChronoUnit.DAYS).minusSeconds(1);
        boolean failing = random.nextInt(10) == 0;
        int sender = random.nextInt(10);
        if (sender < 4) {
            return google(sequence, policyDomain, start, end, failing);
        }
        if (sender < 7) {
            return microsoft(sequence, policyDomain, registered, start, end, failing);
        }
        return other(sequence, policyDomain, start, end, failing);
    }

    private String pickDomain() {
        int busy = Math.max(1, domains.size() / 10);
        return random.nextBoolean() ? domains.get(random.nextInt(busy))
                : domains.get(busy + random.nextInt(Math.max(1, domains.size() - busy)));
    }

    private byte[] google(long sequence, String domain, Instant start, Instant end, boolean failing) {
        return write(null, g -> {
            g.writeStartObject();
            header(g, "Google Inc.", "smtp-tls-reporting@google.com", start + "_" + domain + "_" + sequence, start, end);
            g.writeArrayFieldStart("policies");
            stsPolicyResult(g, domain, failing, true);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private byte[] microsoft(long sequence, String domain, String registered, Instant start, Instant end,
            boolean failing) {
        boolean dane = Math.floorMod(registered.hashCode(), 2) == 0;
        return write("    ", g -> {
            g.writeStartObject();
            header(g, "Microsoft Corporation", "tlsrpt-noreply@microsoft.com",
                    (133_925_885_310_113_267L + sequence * 7_919L) + "+" + domain, start, end);
            g.writeArrayFieldStart("policies");
            long successful = stsPolicyResult(g, domain, failing, false);
            if (dane) {
                g.writeStartObject();
                g.writeObjectFieldStart("policy");
                g.writeStringField("policy-type", "tlsa");
                g.writeArrayFieldStart("policy-string");
                g.writeString("[\"3 1 1 " + hex64(domain, 1) + "\",\"3 1 1 " + hex64(domain, 2) + "\"]");
                g.writeEndArray();
                g.writeStringField("policy-domain", domain);
                g.writeEndObject();
                summary(g, successful, 0);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private byte[] other(long sequence, String domain, Instant start, Instant end, boolean failing) {
        int which = random.nextInt(OTHERS.length);
        return write("  ", g -> {
            g.writeStartObject();
            header(g, OTHERS[which], OTHER_CONTACTS[which],
                    String.format("%08x-%04x-4%03x-%04x-%012x", random.nextInt(), random.nextInt(0x10000),
                            random.nextInt(0x1000), 0x8000 | random.nextInt(0x4000), sequence)
                            + "@" + OTHER_CONTACTS[which].split("@")[1],
                    start, end);
            g.writeArrayFieldStart("policies");
            stsPolicyResult(g, domain, failing, random.nextBoolean());
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Writes one STS policy result; returns its successful sessions. */
    private long stsPolicyResult(JsonGenerator g, String domain, boolean failing, boolean mxHost) throws IOException {
        long successful = 1 + (long) Math.exp(random.nextDouble() * 8);
        g.writeStartObject();
        g.writeObjectFieldStart("policy");
        g.writeStringField("policy-type", "sts");
        g.writeArrayFieldStart("policy-string");
        g.writeString("version: STSv1");
        g.writeString(random.nextInt(10) == 0 ? "mode: testing" : "mode: enforce");
        int mxCount = 2 + Math.floorMod(domain.hashCode(), 2);
        for (int mx = 1; mx <= mxCount; mx++) {
            g.writeString("mx: mx" + mx + "." + domain);
        }
        g.writeString("max_age: 604800");
        g.writeEndArray();
        g.writeStringField("policy-domain", domain);
        if (mxHost) {
            g.writeArrayFieldStart("mx-host");
            for (int mx = 1; mx <= mxCount; mx++) {
                g.writeString("mx" + mx + "." + domain);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        if (!failing) {
            summary(g, successful, 0);
            g.writeEndObject();
            return successful;
        }
        int n = 1 + random.nextInt(3);
        String[] type = new String[n];
        long[] count = new long[n];
        long failed = 0;
        for (int i = 0; i < n; i++) {
            type[i] = weighted();
            count[i] = 1 + (long) Math.exp(random.nextDouble() * 5);
            failed += count[i];
        }
        summary(g, successful, failed);
        g.writeArrayFieldStart("failure-details");
        for (int i = 0; i < n; i++) {
            g.writeStartObject();
            g.writeStringField("result-type", type[i]);
            g.writeStringField("sending-mta-ip", sendingIp());
            int mx = 1 + random.nextInt(2);
            g.writeStringField("receiving-mx-hostname", "mx" + mx + "." + domain);
            if (random.nextInt(10) < 6) {
                g.writeStringField("receiving-ip", "203.0.113." + (10 + mx));
            }
            g.writeNumberField("failed-session-count", count[i]);
            String reason = reason(type[i]);
            if (reason != null && random.nextInt(100) < 28) {
                g.writeStringField("failure-reason-code", reason);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        return successful;
    }

    private void header(JsonGenerator g, String organization, String contact, String reportId, Instant start,
            Instant end) throws IOException {
        g.writeStringField("organization-name", organization);
        g.writeObjectFieldStart("date-range");
        g.writeStringField("start-datetime", start.toString());
        g.writeStringField("end-datetime", end.toString());
        g.writeEndObject();
        g.writeStringField("contact-info", contact);
        g.writeStringField("report-id", reportId);
    }

    private static void summary(JsonGenerator g, long successful, long failed) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeNumberField("total-successful-session-count", successful);
        g.writeNumberField("total-failure-session-count", failed);
        g.writeEndObject();
    }

    private String weighted() {
        int pick = random.nextInt(100);
        for (int i = 0; i < RESULT_TYPES.length; i++) {
            pick -= RESULT_WEIGHTS[i];
            if (pick < 0) {
                return RESULT_TYPES[i];
            }
        }
        return RESULT_TYPES[0];
    }

    private static String reason(String type) {
        return switch (type) {
            case "certificate-expired" -> "X509_V_ERR_CERT_HAS_EXPIRED";
            case "certificate-not-trusted" -> "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
            case "certificate-host-mismatch" -> "X509_V_ERR_HOSTNAME_MISMATCH";
            case "sts-policy-fetch-error" -> "bad https response code: 404";
            case "starttls-not-supported" -> "no STARTTLS in EHLO response";
            default -> null;
        };
    }

    private String sendingIp() {
        return random.nextInt(10) < 7
                ? (random.nextBoolean() ? "209.85." : "40.92.") + random.nextInt(256) + "." + (1 + random.nextInt(254))
                : "2607:f8b0:4864:" + Integer.toHexString(random.nextInt(0x10000)) + "::" + (1 + random.nextInt(0xfff));
    }

    private static String hex64(String domain, int salt) {
        StringBuilder hex = new StringBuilder(64);
        Random r = new Random(domain.hashCode() * 31L + salt);
        while (hex.length() < 64) {
            hex.append(Character.toUpperCase(Character.forDigit(r.nextInt(16), 16)));
        }
        return hex.toString();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(String indent, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1536);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            if (indent != null) {
                DefaultIndenter indenter = new DefaultIndenter(indent, "\n");
                g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
            }
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Prints the mean size of the first 10,000 reports, or with {@code sample N} writes the N-th. */
    public static void main(String[] args) throws IOException {
        StoreReportGenerator generator = new StoreReportGenerator(ReportGenerator.SEED,
                StoreBenchmark.domainNames(0, 300), Instant.parse("2026-12-04T00:00:00Z"));
        if (args.length == 2 && args[0].equals("sample")) {
            byte[] report = null;
            for (int i = 0; i <= Integer.parseInt(args[1]); i++) {
                report = generator.next(i);
            }
            System.out.write(report);
            System.out.flush();
            return;
        }
        long total = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            total += generator.next(i).length;
        }
        System.out.println("mean.bytes: " + total / n);
    }
}
