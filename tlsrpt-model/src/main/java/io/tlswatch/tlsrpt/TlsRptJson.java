package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of the normalised model outside Quarkus (the CLI, tests, benchmarks). Quarkus' own
 * ObjectMapper is configured the same way by default: ISO-8601 date-times in UTC, not timestamps.
 */
public final class TlsRptJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private TlsRptJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
