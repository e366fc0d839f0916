package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.tlswatch.tlsrpt.InvalidReportException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Turns the bytes a sender delivered into a {@link TlsReport}, or an {@link InvalidReportException}
 * that names what is wrong. Gzip or JSON is decided by the bytes (RFC 8460 §6.5), never by a declared
 * media type. Gzip is inflated as a stream, so a bomb is stopped at the limit instead of being
 * inflated whole, and the JSON is read as a token stream straight into the model, so a report with
 * 100,000 failure details never exists as a tree in memory.
 *
 * <p>Thread-safe; build one per set of limits and share it.
 */
public final class TlsRptParser {

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final ParserLimits limits;
    private final JsonFactory jsonFactory;

    public TlsRptParser(ParserLimits limits) {
        this.limits = limits;
        this.jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNameLength(Math.min(limits.maxStringLength(), 1024))
                        .build())
                .build();
    }

    public static TlsRptParser withDefaults() {
        return new TlsRptParser(ParserLimits.DEFAULTS);
    }

    public ParserLimits limits() {
        return limits;
    }

    /** True when the payload starts with the gzip magic bytes {@code 1f 8b}. */
    public static boolean isGzip(byte[] payload) {
        return payload.length >= 2 && (payload[0] & 0xff) == GZIP_MAGIC_1 && (payload[1] & 0xff) == GZIP_MAGIC_2;
    }

    /**
     * Parses a report delivered as gzip or plain JSON.
     *
     * @throws InvalidReportException for anything that is not an acceptable report; nothing else
     */
    public TlsReport parse(byte[] payload) {
        if (payload.length > limits.maxCompressedBytes()) {
            throw new InvalidReportException(Reason.COMPRESSED_TOO_LARGE, "",
                    "payload of " + payload.length + " bytes exceeds the limit of " + limits.maxCompressedBytes());
        }
        if (isGzip(payload)) {
            long inflateLimit = Math.min(limits.maxDecompressedBytes(),
                    (long) payload.length * limits.maxCompressionRatio());
            try (InputStream json = new BoundedInputStream(
                    new GZIPInputStream(new ByteArrayInputStream(payload), 8192), inflateLimit)) {
                return parseJson(json);
            } catch (IOException e) {
                throw gzipError(e);
            }
        }
        if (!looksLikeJson(payload)) {
            throw new InvalidReportException(Reason.UNKNOWN_FORMAT, "",
                    "payload is neither gzip (starting 1f 8b) nor a JSON object");
        }
        if (payload.length > limits.maxDecompressedBytes()) {
            throw new InvalidReportException(Reason.DECOMPRESSED_TOO_LARGE, "",
                    "JSON of " + payload.length + " bytes exceeds the limit of " + limits.maxDecompressedBytes());
        }
        try (JsonParser parser = jsonFactory.createParser(payload)) {
            return new ReportReader(parser, jsonFactory).read();
        } catch (IOException e) {
            throw jsonError(e);
        }
    }

    private TlsReport parseJson(InputStream json) throws IOException {
        try (JsonParser parser = jsonFactory.createParser(json)) {
            return new ReportReader(parser, jsonFactory).read();
        } catch (JsonProcessingException e) {
            throw jsonError(e);
        }
    }

    /** Leading JSON after optional whitespace and a UTF-8 byte order mark. */
    private static boolean looksLikeJson(byte[] payload) {
        int i = 0;
        if (payload.length >= 3 && (payload[0] & 0xff) == 0xef && (payload[1] & 0xff) == 0xbb
                && (payload[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < payload.length && (payload[i] == ' ' || payload[i] == '\t' || payload[i] == '\r'
                || payload[i] == '\n')) {
            i++;
        }
        // '[' too, so that a JSON array is told it is not a report rather than "not JSON".
        return i < payload.length && (payload[i] == '{' || payload[i] == '[');
    }

    private InvalidReportException gzipError(IOException e) {
        if (e instanceof BoundedInputStream.LimitExceeded) {
            return new InvalidReportException(Reason.DECOMPRESSED_TOO_LARGE, "", e.getMessage());
        }
        if (e instanceof JsonProcessingException) {
            return jsonError(e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new InvalidReportException(Reason.BAD_GZIP, "", "corrupt or truncated gzip (" + detail + ")");
    }

    private static InvalidReportException jsonError(IOException e) {
        if (e instanceof BoundedInputStream.LimitExceeded) {
            return new InvalidReportException(Reason.DECOMPRESSED_TOO_LARGE, "", e.getMessage());
        }
        if (e instanceof JsonProcessingException json) {
            String where = json.getLocation() == null ? ""
                    : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
            String what = e instanceof StreamConstraintsException ? "exceeds a parser limit: " : "malformed JSON: ";
            return new InvalidReportException(Reason.BAD_JSON, "", what + json.getOriginalMessage() + where);
        }
        // Only gzip streams can fail reading; a byte array cannot.
        return new InvalidReportException(Reason.BAD_GZIP, "", "corrupt or truncated gzip (" + e.getMessage() + ")");
    }
}
