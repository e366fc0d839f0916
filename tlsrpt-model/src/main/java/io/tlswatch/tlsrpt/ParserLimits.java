package io.tlswatch.tlsrpt;

/**
 * Bounds that keep a hostile payload from exhausting memory or CPU. Every field has a default sized
 * for real reports: §5.2 names 10 MB as a common limit for a compressed report; reports are a few
 * objects deep; their strings are hostnames, IPs, policy lines and error texts.
 *
 * @param maxCompressedBytes   largest gzip payload accepted (and largest plain JSON payload)
 * @param maxDecompressedBytes largest JSON document accepted after inflating
 * @param maxCompressionRatio  inflated size may not exceed this multiple of the compressed size
 *                             (real reports stay below 50; a gzip bomb reaches 1000)
 * @param maxNestingDepth      deepest JSON nesting accepted (a report needs 5)
 * @param maxStringLength      longest JSON string accepted, in characters
 */
public record ParserLimits(
        long maxCompressedBytes,
        long maxDecompressedBytes,
        int maxCompressionRatio,
        int maxNestingDepth,
        int maxStringLength) {

    public static final ParserLimits DEFAULTS = new ParserLimits(
            10L * 1024 * 1024, 100L * 1024 * 1024, 200, 32, 64 * 1024);

    public ParserLimits {
        if (maxCompressedBytes <= 0 || maxDecompressedBytes <= 0 || maxCompressionRatio <= 0
                || maxNestingDepth <= 0 || maxStringLength <= 0) {
            throw new IllegalArgumentException("parser limits must be positive");
        }
    }

    public ParserLimits withMaxCompressedBytes(long value) {
        return new ParserLimits(value, maxDecompressedBytes, maxCompressionRatio, maxNestingDepth, maxStringLength);
    }

    public ParserLimits withMaxDecompressedBytes(long value) {
        return new ParserLimits(maxCompressedBytes, value, maxCompressionRatio, maxNestingDepth, maxStringLength);
    }

    public ParserLimits withMaxCompressionRatio(int value) {
        return new ParserLimits(maxCompressedBytes, maxDecompressedBytes, value, maxNestingDepth, maxStringLength);
    }

    public ParserLimits withMaxNestingDepth(int value) {
        return new ParserLimits(maxCompressedBytes, maxDecompressedBytes, maxCompressionRatio, value, maxStringLength);
    }

    public ParserLimits withMaxStringLength(int value) {
        return new ParserLimits(maxCompressedBytes, maxDecompressedBytes, maxCompressionRatio, maxNestingDepth, value);
    }
}
