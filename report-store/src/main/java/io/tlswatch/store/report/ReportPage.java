package io.tlswatch.store.report;

import java.util.List;

/** A page of the report list; {@code page} counts from 0. */
public record ReportPage(List<ReportSummary> items, int page, int size, long total) {
}
