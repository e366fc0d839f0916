package io.tlswatch.alert.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UntrustedTest {

    @Test
    void lineBreaksAndControlCharactersNeverSurvive() {
        assertThat(Untrusted.text("a\r\nBcc: x@y\nz\u0085w\u2028v\u2029u\u0000t\u001b[31m"))
                .isEqualTo("a Bcc: x@y z w v u t [31m");
        assertThat(Untrusted.header("evil.example\r\n\r\n<html>", 253)).isEqualTo("evil.example <html>");
    }

    @Test
    void bidirectionalOverridesAreRemoved() {
        assertThat(Untrusted.text("safe\u202Eexe.txt\u2066x\u200F")).isEqualTo("safe exe.txt x");
    }

    @Test
    void longValuesAreCutWithAnEllipsis() {
        assertThat(Untrusted.text("x".repeat(1000), 10)).isEqualTo("x".repeat(9) + "\u2026");
        assertThat(Untrusted.text("😀".repeat(10), 5)).hasSizeLessThanOrEqualTo(5).endsWith("\u2026");
        assertThat(Untrusted.text(null)).isEmpty();
    }

    @Test
    void onlyPlainAddressesAreAddresses() {
        assertThat(Untrusted.addresses(List.of("alerts@contoso.onmicrosoft.com", "alerts@contoso.onmicrosoft.com",
                "a@b.example\r\nBcc: v@x.example", "<v@x.example>", "Name <v@x.example>", "a@b", "a,b@c.example",
                "noc+tls@ops.example.org")))
                .containsExactly("alerts@contoso.onmicrosoft.com", "noc+tls@ops.example.org");
    }
}
