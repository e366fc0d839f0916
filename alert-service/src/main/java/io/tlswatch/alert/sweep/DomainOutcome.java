package io.tlswatch.alert.sweep;

import java.time.Instant;
import java.util.List;

/**
 * What became of one domain in a sweep.
 *
 * @param until      SENT / SUPPRESSED: the end of the quiet period; FAILED / DEFERRED / ERROR: when the
 *                   domain is tried again
 * @param detail     FAILED / ERROR: why; DEFERRED: report-store's reason (in-flight, retry-pending);
 *                   SKIPPED: why the domain is not alerted
 * @param recorded   SENT: whether report-store has recorded it (if not, it is recorded by a later sweep)
 */
record DomainOutcome(Kind kind, DomainWork work, Instant until, String detail, List<String> recipients,
        String messageId, Long alertId, boolean recorded) {

    enum Kind {
        /** Mailed (the mail server took it). */
        SENT(true),
        /** Alerted within the suppression window: nothing to do. */
        SUPPRESSED(true),
        /** The organisation has no alert address: recorded, nothing sent. */
        NO_RECIPIENTS(true),
        /** Never alerted: TLS reporting is off, or the domain is no longer registered. */
        SKIPPED(true),
        /** The send failed; report-store holds the retry time. */
        FAILED(false),
        /** Another sweep holds the claim, or a failed send waits for its retry time. */
        DEFERRED(false),
        /** report-store could not be asked; tried again next sweep. */
        ERROR(false);

        /** Handled for good: the cursor may pass this domain's events. */
        final boolean settled;

        Kind(boolean settled) {
            this.settled = settled;
        }
    }

    static DomainOutcome of(Kind kind, DomainWork work, Instant until, String detail) {
        return new DomainOutcome(kind, work, until, detail, List.of(), null, null, true);
    }
}
