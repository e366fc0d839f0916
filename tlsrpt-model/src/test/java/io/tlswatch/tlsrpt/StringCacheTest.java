package io.tlswatch.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringCacheTest {

    private static String get(StringCache cache, String text) {
        char[] padded = ("##" + text + "##").toCharArray();
        return cache.get(padded, 2, text.length());
    }

    @Test
    void aRepeatedValueIsOneInstanceAndSurroundingSpaceIsDropped() {
        StringCache cache = new StringCache();
        String first = get(cache, "192.0.2.1");
        assertThat(get(cache, " 192.0.2.1\t")).isSameAs(first).isEqualTo("192.0.2.1");
        assertThat(get(cache, "   ")).isNull();
    }

    @Test
    void manyDistinctValuesSurviveTheTableGrowing() {
        StringCache cache = new StringCache();
        for (int i = 0; i < 20_000; i++) {
            assertThat(get(cache, "10.0." + (i / 256) + "." + (i % 256))).isEqualTo("10.0." + (i / 256) + "." + (i % 256));
        }
        String again = get(cache, "10.0.3.7");
        assertThat(get(cache, "10.0.3.7")).isSameAs(again);
    }

    @Test
    void longValuesAreReturnedWhole() {
        String longValue = "x".repeat(StringCache.MAX_LENGTH + 10);
        assertThat(get(new StringCache(), longValue)).isEqualTo(longValue);
    }
}
