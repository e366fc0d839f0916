package io.tlswatch.ingest.intake;

import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.submission.StoreResult;

/** What became of one report: stored (new or duplicate, with its id) or refused as invalid. */
public record Outcome(Kind kind, TlsReport report, StoreResult result, InvalidReportException error) {

    public enum Kind { STORED, DUPLICATE, INVALID }

    static Outcome stored(TlsReport report, StoreResult result) {
        return new Outcome(result.duplicate() ? Kind.DUPLICATE : Kind.STORED, report, result, null);
    }

    static Outcome invalid(InvalidReportException error) {
        return new Outcome(Kind.INVALID, null, null, error);
    }
}
