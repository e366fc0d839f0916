package io.tlswatch.store.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tlswatch.tlsrpt.alerting.AlertView;
import java.util.List;

/** A page of alert history, newest first; {@code page} counts from 0. */
public record AlertPage(
        @JsonProperty("items") List<AlertView> items,
        @JsonProperty("page") int page,
        @JsonProperty("size") int size,
        @JsonProperty("total") long total) {
}
