package io.tlswatch.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void senderTextBecomesOnePrintableLine() {
        assertThat(SafeText.safe("evil\r\n250 2.0.0 forged\u0000 ünï", 100)).isEqualTo("evil  250 2.0.0 forged  ?n?");
    }

    @Test
    void longTextIsCutWithAnEllipsis() {
        assertThat(SafeText.safe("x".repeat(50), 10)).isEqualTo("xxxxxxx...");
        assertThat(SafeText.safe(null, 10)).isEmpty();
    }
}
