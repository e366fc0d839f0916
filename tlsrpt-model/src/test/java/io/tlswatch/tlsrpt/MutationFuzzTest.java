package io.tlswatch.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tlswatch.tlsrpt.mail.MailExtractor;
import io.tlswatch.tlsrpt.mail.ReportAttachment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates every sample (flip, cut, duplicate and insert bytes) thousands of times, as JSON, as gzip and
 * as mail, and checks that the only thing that ever escapes the parser and the mail extractor is
 * {@link InvalidReportException}. The seed is fixed so a failure can be replayed.
 */
class MutationFuzzTest {

    private static final int ROUNDS_PER_SAMPLE = 1500;

    private final TlsRptParser parser = new TlsRptParser(ParserLimits.DEFAULTS.withMaxDecompressedBytes(1 << 20));
    private final MailExtractor mail = new MailExtractor();

    @Test
    void onlyTheTypedErrorEverEscapes() {
        Random random = new Random(8460);
        List<byte[]> seeds = new ArrayList<>();
        for (String name : Samples.named(".json")) {
            seeds.add(Samples.read(name));
            seeds.add(Samples.gzip(Samples.read(name)));
        }
        List<byte[]> mails = Samples.named(".eml").stream().map(Samples::read).toList();

        int parsed = 0;
        int rejected = 0;
        for (byte[] seed : seeds) {
            for (int i = 0; i < ROUNDS_PER_SAMPLE; i++) {
                byte[] mutant = mutate(seed, random);
                if (parses(mutant, seed)) {
                    parsed++;
                } else {
                    rejected++;
                }
            }
        }
        for (byte[] seed : mails) {
            for (int i = 0; i < ROUNDS_PER_SAMPLE; i++) {
                byte[] mutant = mutate(seed, random);
                try {
                    for (ReportAttachment attachment : mail.extract(mutant).attachments()) {
                        if (parses(attachment.payload(), seed)) {
                            parsed++;
                        } else {
                            rejected++;
                        }
                    }
                } catch (InvalidReportException expected) {
                    rejected++;
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    fail("mail extraction let " + e + " escape for a mutant of " + seed.length + " bytes", e);
                }
            }
        }
        // Both outcomes must occur, or the mutations are too timid (or too destructive) to mean anything.
        assertThat(parsed).isGreaterThan(100);
        assertThat(rejected).isGreaterThan(1000);
    }

    private boolean parses(byte[] payload, byte[] seed) {
        try {
            assertThat(parser.parse(payload)).isNotNull();
            return true;
        } catch (InvalidReportException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return false;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("parser let " + e + " escape for a mutant of a " + seed.length
                    + "-byte sample: " + Arrays.toString(Arrays.copyOf(payload, Math.min(64, payload.length))), e);
        }
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 1; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));            // flip a bit
                case 1 -> bytes = Arrays.copyOf(bytes, at);                           // cut the tail
                case 2 -> {                                                           // duplicate a run
                    int length = Math.min(1 + random.nextInt(64), bytes.length - at);
                    byte[] longer = new byte[bytes.length + length];
                    System.arraycopy(bytes, 0, longer, 0, at + length);
                    System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                    bytes = longer;
                }
                case 3 -> bytes[at] = (byte) "{}[]\",:0\\-".charAt(random.nextInt(10)); // JSON punctuation
                default -> {                                                          // remove a run
                    int length = Math.min(1 + random.nextInt(16), bytes.length - at);
                    byte[] shorter = new byte[bytes.length - length];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + length, shorter, at, bytes.length - at - length);
                    bytes = shorter;
                }
            }
        }
        return bytes;
    }
}
