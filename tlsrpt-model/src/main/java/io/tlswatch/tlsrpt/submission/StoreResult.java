package io.tlswatch.tlsrpt.submission;

import com.fasterxml.jackson.annotation.JsonProperty;

/** report-store's answer to a submission: the report's id, and whether it was already stored. */
public record StoreResult(@JsonProperty("id") long id, @JsonProperty("duplicate") boolean duplicate) {
}
