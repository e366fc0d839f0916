package io.tlswatch.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlswatch.tlsrpt.InvalidReportException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Hostile payloads get the typed error with a reason a sender can act on, and nothing else. */
class HostileInputTest {

    private final TlsRptParser parser = TlsRptParser.withDefaults();
    private final byte[] google = Samples.read("phi-ag_mta-sts-exporter__google.json");

    private InvalidReportException rejected(TlsRptParser parser, byte[] payload) {
        return org.junit.jupiter.api.Assertions.assertThrows(InvalidReportException.class, () -> parser.parse(payload));
    }

    @Test
    void truncatedGzipIsBadGzip() {
        byte[] gzip = Samples.gzip(google);
        InvalidReportException e = rejected(parser, Arrays.copyOf(gzip, gzip.length / 2));
        assertThat(e.reason()).isEqualTo(Reason.BAD_GZIP);
        assertThat(e.getMessage()).startsWith("corrupt or truncated gzip");
    }

    @Test
    void corruptGzipBodyIsBadGzip() {
        byte[] gzip = Samples.gzip(google);
        for (int i = 12; i < gzip.length - 8; i++) {
            gzip[i] = (byte) ~gzip[i];
        }
        assertThat(rejected(parser, gzip).reason()).isEqualTo(Reason.BAD_GZIP);
    }

    @Test
    void gzipBombOfOneKibIsStoppedByTheRatioLimitBeforeItIsInflatedWhole() {
        byte[] bomb = jsonBomb(1024 * 1024);
        assertThat(bomb.length).isLessThan(1100);
        InvalidReportException e = rejected(parser, bomb);
        assertThat(e.reason()).isEqualTo(Reason.DECOMPRESSED_TOO_LARGE);
        assertThat(e.reason().tooLarge()).isTrue();
        // The stream gave up at compressed size x ratio, far below the megabyte the bomb holds.
        long stoppedAt = (long) bomb.length * ParserLimits.DEFAULTS.maxCompressionRatio();
        assertThat(e.getMessage()).isEqualTo("inflates past the limit of " + stoppedAt + " bytes");
    }

    @Test
    void gzipPastTheDecompressedLimitIsRejected() {
        TlsRptParser small = new TlsRptParser(ParserLimits.DEFAULTS.withMaxDecompressedBytes(64 * 1024)
                .withMaxCompressionRatio(Integer.MAX_VALUE / 2));
        InvalidReportException e = rejected(small, jsonBomb(10 * 1024 * 1024));
        assertThat(e.reason()).isEqualTo(Reason.DECOMPRESSED_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("inflates past the limit of 65536 bytes");
    }

    @Test
    void payloadPastTheCompressedLimitIsRejectedBeforeReading() {
        TlsRptParser small = new TlsRptParser(ParserLimits.DEFAULTS.withMaxCompressedBytes(100));
        InvalidReportException e = rejected(small, google);
        assertThat(e.reason()).isEqualTo(Reason.COMPRESSED_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("payload of " + google.length + " bytes exceeds the limit of 100");
    }

    @Test
    void deepNestingIsRejected() {
        String deep = "{\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        InvalidReportException e = rejected(parser, deep.getBytes(StandardCharsets.UTF_8));
        assertThat(e.reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(e.getMessage()).startsWith("exceeds a parser limit: Document nesting depth (33) exceeds");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bytes = "{\"organization-name\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xc3; // a lead byte followed by ASCII
        InvalidReportException e = rejected(parser, bytes);
        assertThat(e.reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(e.getMessage()).startsWith("malformed JSON: Invalid UTF-8");
    }

    @Test
    void aFiftyMebibyteStringIsRejectedAtTheStringLimit() {
        byte[] huge = new byte[50 * 1024 * 1024 + 64];
        byte[] head = "{\"organization-name\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, huge, 0, head.length);
        Arrays.fill(huge, head.length, huge.length - 2, (byte) 'a');
        huge[huge.length - 2] = '"';
        huge[huge.length - 1] = '}';
        InvalidReportException asJson = rejected(new TlsRptParser(ParserLimits.DEFAULTS.withMaxCompressedBytes(60L << 20)), huge);
        assertThat(asJson.reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(asJson.getMessage()).startsWith("exceeds a parser limit: String value length");

        InvalidReportException asGzip = rejected(parser, Samples.gzip(huge));
        assertThat(asGzip.getMessage()).startsWith("exceeds a parser limit: String value length");
    }

    @Test
    void nonObjectTopLevelsAreNotReports() {
        for (String json : new String[] {"[]", "[{\"organization-name\":\"x\"}]"}) {
            InvalidReportException e = rejected(parser, json.getBytes(StandardCharsets.UTF_8));
            assertThat(e.reason()).isEqualTo(Reason.NOT_A_REPORT);
            assertThat(e.getMessage()).isEqualTo("top level must be a JSON object, found an array");
        }
    }

    @Test
    void bytesThatAreNeitherGzipNorJsonAreUnknownFormat() {
        for (String payload : new String[] {"", "   ", "\"a string\"", "42", "<html>", "PK\u0003\u0004"}) {
            InvalidReportException e = rejected(parser, payload.getBytes(StandardCharsets.UTF_8));
            assertThat(e.reason()).as(payload).isEqualTo(Reason.UNKNOWN_FORMAT);
        }
    }

    @Test
    void aFieldSentTwiceIsRefusedWhereverItIs() {
        String json = new String(google, StandardCharsets.UTF_8)
                .replace("\"report-id\":", "\"report-id\": \"first\", \"report-id\":")
                .replace("\"total-successful-session-count\": 53", "\"total-successful-session-count\": 53, \"total-successful-session-count\": 54");
        InvalidReportException e = rejected(parser, json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.reason()).isEqualTo(Reason.NOT_A_REPORT);
        assertThat(e.getMessage()).isEqualTo("report-id: sent twice in one object; "
                + "policies[0].summary.total-successful-session-count: sent twice in one object");
    }

    @Test
    void truncatedJsonAndTrailingContentAreRejected() {
        assertThat(rejected(parser, Arrays.copyOf(google, google.length - 10)).reason()).isEqualTo(Reason.BAD_JSON);
        byte[] trailing = (new String(google, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(parser, trailing).getMessage()).isEqualTo("unexpected content after the report object");
    }

    @Test
    void hugeCountIsOutOfRangeNotAnOverflow() {
        String json = new String(google, StandardCharsets.UTF_8).replace("53", "99999999999999999999999");
        assertThat(rejected(parser, json.getBytes(StandardCharsets.UTF_8)).getMessage())
                .isEqualTo("policies[0].summary.total-successful-session-count: count out of range: 99999999999999999999999");
    }

    @Test
    void byteOrderMarkAndTrailingBytesAfterGzipAreForgiven() throws IOException {
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        withBom.write(google);
        assertThat(parser.parse(withBom.toByteArray()).reportId()).isEqualTo("2024-02-17T00:00:00Z_example.com");

        ByteArrayOutputStream withTrailer = new ByteArrayOutputStream();
        withTrailer.write(Samples.gzip(google));
        withTrailer.write("\r\n\r\n--garbage".getBytes(StandardCharsets.US_ASCII));
        assertThat(parser.parse(withTrailer.toByteArray()).reportId()).isEqualTo("2024-02-17T00:00:00Z_example.com");
    }

    @Test
    void theParserStaysUsableAfterHostileInput() {
        assertThatThrownBy(() -> parser.parse(jsonBomb(1 << 20))).isInstanceOf(InvalidReportException.class);
        assertThat(parser.parse(google).organizationName()).isEqualTo("Google Inc.");
    }

    /** Gzip of a JSON object opened and followed by {@code size} spaces: valid JSON for as long as it lasts. */
    static byte[] jsonBomb(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write('{');
            byte[] spaces = new byte[64 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            for (int written = 0; written < size; written += spaces.length) {
                gzip.write(spaces, 0, Math.min(spaces.length, size - written));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
