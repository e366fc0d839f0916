package io.tlswatch.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds TLS-RPT report JSON (RFC 8460 §4) for the benchmarks, deterministically: the same seed gives
 * the same bytes on every machine ({@link Random} has a specified algorithm). The shapes follow the
 * real reports in {@code ../shared/samples/tlsrpt}: Google's and Microsoft's STS policies with their
 * policy-string lines, the RFC's Appendix B failure details, Mail.ru's failure-reason-code texts,
 * Microsoft's TLSA records sent as one JSON-encoded string. The output is compact, as Google sends it.
 *
 * <ul>
 *   <li>{@link #typical()}: about 1 KiB, one STS policy with mx-host, a summary and three failure
 *       details.</li>
 *   <li>{@link #large(int)}: three policies (two STS, one TLSA) whose failure details total the number
 *       asked for, spread over the RFC's result types, a few thousand distinct sending IPv4 and IPv6
 *       addresses, a handful of receiving MX hosts and IPs, skewed session counts, and a
 *       failure-reason-code or additional-information on some.</li>
 * </ul>
 */
public final class ReportGenerator {

    /** The seed every benchmark uses; change it only together with docs/BENCHMARKS.md. */
    public static final long SEED = 8460L;

    /** Failure details in the large report of the issue. */
    public static final int LARGE_FAILURE_DETAILS = 100_000;

    /** Distinct sending-mta-ip values the large report draws from. */
    static final int SENDING_IP_POOL = 3_000;

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * RFC 8460 §4.3 result types with weights resembling what senders report: certificate problems and
     * missing STARTTLS dominate, DANE failures are rare (few domains publish TLSA).
     */
    private static final String[] RESULT_TYPES = {
            "starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
            "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
            "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid"};
    private static final int[] RESULT_WEIGHTS = {22, 14, 12, 18, 10, 3, 2, 1, 9, 4, 5};

    /**
     * Texts real MTAs put in failure-reason-code (OpenSSL verify errors, Mail.ru's HTTP codes), by the
     * result type they go with; a type without an entry never gets one.
     */
    private static final Map<String, String[]> REASON_CODES = Map.of(
            "certificate-expired", new String[] {"X509_V_ERR_CERT_HAS_EXPIRED"},
            "certificate-not-trusted", new String[] {"X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT",
                    "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN"},
            "certificate-host-mismatch", new String[] {"X509_V_ERR_HOSTNAME_MISMATCH"},
            "validation-failure", new String[] {"X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED",
                    "X509_V_ERR_CERT_SIGNATURE_FAILURE"},
            "sts-policy-fetch-error", new String[] {"bad https response code: 404", "bad https response code: 500",
                    "connection timed out"},
            "starttls-not-supported", new String[] {"no STARTTLS in EHLO response"});

    private final Random random;

    public ReportGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** The typical report (about 1 KiB), from {@link #SEED}. */
    public static byte[] typical() {
        return new ReportGenerator(SEED).typicalReport();
    }

    /** The large report with {@code failureDetails} details in total, from {@link #SEED}. */
    public static byte[] large(int failureDetails) {
        return new ReportGenerator(SEED).largeReport(failureDetails);
    }

    /** The RFC 8460 Appendix B example as Google would send it: compact, mx-host as an array. */
    public byte[] typicalReport() {
        return write(g -> {
            g.writeStartObject();
            header(g, "Google Inc.", "smtp-tls-reporting@google.com", "2025-04-12T00:00:00Z_example.com",
                    "2025-04-12T00:00:00Z", "2025-04-12T23:59:59Z");
            g.writeArrayFieldStart("policies");
            g.writeStartObject();
            stsPolicy(g, "example.com", "*.example.com", 86400);
            summary(g, 5326, 303);
            g.writeArrayFieldStart("failure-details");
            g.writeStartObject();
            g.writeStringField("result-type", "certificate-expired");
            g.writeStringField("sending-mta-ip", "2001:db8:abcd:12::1");
            g.writeStringField("receiving-mx-hostname", "mx1.example.com");
            g.writeNumberField("failed-session-count", 100);
            g.writeEndObject();
            g.writeStartObject();
            g.writeStringField("result-type", "starttls-not-supported");
            g.writeStringField("sending-mta-ip", "2001:db8:abcd:13::1");
            g.writeStringField("receiving-mx-hostname", "mx2.example.com");
            g.writeStringField("receiving-ip", "203.0.113.56");
            g.writeNumberField("failed-session-count", 200);
            g.writeEndObject();
            g.writeStartObject();
            g.writeStringField("result-type", "validation-failure");
            g.writeStringField("sending-mta-ip", "198.51.100.62");
            g.writeStringField("receiving-mx-hostname", "mx-backup.example.com");
            g.writeStringField("receiving-ip", "203.0.113.58");
            g.writeNumberField("failed-session-count", 3);
            g.writeStringField("failure-reason-code", "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * A busy sender's daily report for a domain with many MX hosts: two STS policies and one TLSA
     * policy sharing {@code failureDetails} details in the proportion 6:3:1.
     */
    public byte[] largeReport(int failureDetails) {
        List<String> sendingIps = sendingIpPool(SENDING_IP_POOL);
        int first = failureDetails * 6 / 10;
        int second = failureDetails * 3 / 10;
        int third = failureDetails - first - second;
        return write(g -> {
            g.writeStartObject();
            header(g, "Microsoft Corporation", "tlsrpt-noreply@microsoft.com", "133925885310113267+example.net",
                    "2025-05-23T00:00:00Z", "2025-05-23T23:59:59Z");
            g.writeArrayFieldStart("policies");

            MxSet main = new MxSet("example.net", 5);
            g.writeStartObject();
            stsPolicy(g, "example.net", "*.example.net", 2592000);
            details(g, first, sendingIps, main);
            g.writeEndObject();

            MxSet mail = new MxSet("mail.example.org", 3);
            g.writeStartObject();
            stsPolicy(g, "mail.example.org", "*.mail.example.org", 604800);
            details(g, second, sendingIps, mail);
            g.writeEndObject();

            g.writeStartObject();
            g.writeObjectFieldStart("policy");
            g.writeStringField("policy-type", "tlsa");
            g.writeArrayFieldStart("policy-string");
            // Microsoft's form: one string holding a JSON array of TLSA records.
            g.writeString("[\"3 1 1 6007EEE553E85D8DF007A845D19EC343283D4E416E9A33F9EF3040C8B7C285BC\","
                    + "\"3 1 1 837C773D54C2E2BD71871A3FC352BE8214D5646CBAE5E3091401A7274717998B\"]");
            g.writeEndArray();
            g.writeStringField("policy-domain", "example.net");
            g.writeEndObject();
            details(g, third, sendingIps, main);
            g.writeEndObject();

            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Writes the summary and then {@code count} failure details (summary first, as senders do). */
    private void details(JsonGenerator g, int count, List<String> sendingIps, MxSet mx) throws IOException {
        // Generate first so that the summary's failure count is the sum of the details, as it should be.
        List<Detail> details = new ArrayList<>(count);
        long failed = 0;
        for (int i = 0; i < count; i++) {
            Detail d = detail(sendingIps, mx);
            failed += d.count;
            details.add(d);
        }
        summary(g, failed * 40 + random.nextInt(100_000), failed);
        g.writeArrayFieldStart("failure-details");
        for (Detail d : details) {
            g.writeStartObject();
            g.writeStringField("result-type", d.resultType);
            g.writeStringField("sending-mta-ip", d.sendingIp);
            g.writeStringField("receiving-mx-hostname", d.mxHost);
            if (d.mxHelo != null) {
                g.writeStringField("receiving-mx-helo", d.mxHelo);
            }
            if (d.receivingIp != null) {
                g.writeStringField("receiving-ip", d.receivingIp);
            }
            g.writeNumberField("failed-session-count", d.count);
            if (d.reasonCode != null) {
                g.writeStringField("failure-reason-code", d.reasonCode);
            }
            if (d.additional != null) {
                g.writeStringField("additional-information", d.additional);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private record Detail(String resultType, String sendingIp, String mxHost, String mxHelo, String receivingIp,
                          long count, String reasonCode, String additional) {
    }

    private Detail detail(List<String> sendingIps, MxSet mx) {
        String resultType = weighted(RESULT_TYPES, RESULT_WEIGHTS);
        // A few senders account for most failures: square the uniform draw to skew towards the front.
        double u = random.nextDouble();
        String sendingIp = sendingIps.get((int) (u * u * sendingIps.size()));
        int host = random.nextInt(mx.hosts.length);
        String mxHelo = random.nextInt(10) == 0 ? mx.hosts[host] : null;
        String receivingIp = random.nextInt(5) == 0 ? null : mx.ips[host];
        // Mostly one or a few sessions (median 4), occasionally hundreds (a retrying queue).
        long count = 1 + (long) Math.floor(Math.pow(random.nextDouble(), 8) * 1000);
        String[] reasons = REASON_CODES.get(resultType);
        String reasonCode = reasons != null && random.nextInt(3) == 0 ? reasons[random.nextInt(reasons.length)]
                : null;
        String additional = random.nextInt(50) == 0
                ? "https://reports.example-sender.com/report_info?id=" + Integer.toHexString(random.nextInt())
                : null;
        return new Detail(resultType, sendingIp, mx.hosts[host], mxHelo, receivingIp, count, reasonCode,
                additional);
    }

    /** A handful of MX hosts of one domain, each with a fixed documentation-range IP. */
    private final class MxSet {
        final String[] hosts;
        final String[] ips;

        MxSet(String domain, int n) {
            hosts = new String[n];
            ips = new String[n];
            for (int i = 0; i < n; i++) {
                hosts[i] = "mx" + (i + 1) + "." + domain;
                ips[i] = random.nextInt(4) == 0
                        ? "2001:db8:" + Integer.toHexString(0x100 + random.nextInt(0xeff)) + "::" + (25 + i)
                        : "203.0.113." + (10 + random.nextInt(240));
            }
        }
    }

    /** {@code n} distinct addresses: about 70% IPv4 in a few provider /16s, the rest IPv6. */
    private List<String> sendingIpPool(int n) {
        LinkedHashSet<String> ips = new LinkedHashSet<>();
        int[][] v4Prefixes = {{40, 92}, {40, 107}, {52, 100}, {209, 85}, {74, 125}, {198, 51}, {185, 70}};
        String[] v6Prefixes = {"2a01:111:f400:", "2607:f8b0:4864:", "2a00:1450:4025:", "2001:db8:abcd:"};
        while (ips.size() < n) {
            if (random.nextInt(10) < 7) {
                int[] p = v4Prefixes[random.nextInt(v4Prefixes.length)];
                ips.add(p[0] + "." + p[1] + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
            } else {
                String p = v6Prefixes[random.nextInt(v6Prefixes.length)];
                ips.add(p + Integer.toHexString(random.nextInt(0x10000)) + "::" + Integer.toHexString(
                        1 + random.nextInt(0xfff)));
            }
        }
        return new ArrayList<>(ips);
    }

    private void header(JsonGenerator g, String organization, String contact, String reportId, String start,
                        String end) throws IOException {
        g.writeStringField("organization-name", organization);
        g.writeObjectFieldStart("date-range");
        g.writeStringField("start-datetime", start);
        g.writeStringField("end-datetime", end);
        g.writeEndObject();
        g.writeStringField("contact-info", contact);
        g.writeStringField("report-id", reportId);
    }

    private static void stsPolicy(JsonGenerator g, String domain, String mxPattern, int maxAge) throws IOException {
        g.writeObjectFieldStart("policy");
        g.writeStringField("policy-type", "sts");
        g.writeArrayFieldStart("policy-string");
        g.writeString("version: STSv1");
        g.writeString("mode: enforce");
        g.writeString("mx: " + mxPattern);
        g.writeString("max_age: " + maxAge);
        g.writeEndArray();
        g.writeStringField("policy-domain", domain);
        g.writeArrayFieldStart("mx-host");
        g.writeString(mxPattern);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void summary(JsonGenerator g, long successful, long failed) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeNumberField("total-successful-session-count", successful);
        g.writeNumberField("total-failure-session-count", failed);
        g.writeEndObject();
    }

    private String weighted(String[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return values[i];
            }
        }
        throw new AssertionError();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Prints the sizes, or with {@code typical}/{@code large} writes that report to stdout. */
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("typical")) {
            System.out.write(typical());
            System.out.flush();
            return;
        }
        if (args.length == 1 && args[0].equals("large")) {
            System.out.write(large(LARGE_FAILURE_DETAILS));
            System.out.flush();
            return;
        }
        System.out.println("typical.bytes: " + typical().length);
        System.out.println("large.bytes: " + large(LARGE_FAILURE_DETAILS).length);
    }
}
