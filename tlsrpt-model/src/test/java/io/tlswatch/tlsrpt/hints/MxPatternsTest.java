package io.tlswatch.tlsrpt.hints;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MxPatternsTest {

    @Test
    void aWildcardMatchesExactlyOneLabel() {
        assertThat(MxPatterns.matches("mx1.example.com", "*.example.com")).isTrue();
        assertThat(MxPatterns.matches("MX1.Example.COM.", "*.example.com")).isTrue();
        assertThat(MxPatterns.matches("example.com", "*.example.com")).isFalse();
        assertThat(MxPatterns.matches("a.b.example.com", "*.example.com")).isFalse();
        assertThat(MxPatterns.matches("mx1.badexample.com", "*.example.com")).isFalse();
    }

    @Test
    void aHostNameMatchesOnlyItself() {
        assertThat(MxPatterns.matches("mx.example.com", "mx.example.com")).isTrue();
        assertThat(MxPatterns.matches("mx.example.com", "mx: mx.example.com")).isTrue();
        assertThat(MxPatterns.matches("mx2.example.com", "mx.example.com")).isFalse();
        assertThat(MxPatterns.matches("", "mx.example.com")).isFalse();
        assertThat(MxPatterns.matches(null, "*.example.com")).isFalse();
    }

    @Test
    void patternsComeFromMxHostAndTheMxLinesOfThePolicyString() {
        assertThat(MxPatterns.of(List.of("mx: mx.server.com", "*.mail.example.com"),
                List.of("version: STSv1", "mode: enforce", "mx: mx.server.com", "MX: backup.example.com.", "max_age: 1")))
                .containsExactly("mx.server.com", "*.mail.example.com", "backup.example.com");
    }

    @Test
    void unmatchedNamesEachHostThatNoPatternCovers() {
        assertThat(MxPatterns.unmatched(List.of("mx1.mail.example.com", "new.provider.example", "NEW.provider.example."),
                List.of("*.mail.example.com"))).containsExactly("new.provider.example");
        assertThat(MxPatterns.unmatched(List.of("anything.example"), List.of())).isEmpty();
    }
}
