package io.tlswatch.alert.mail;

import java.util.List;

/**
 * One alert mail's content, every string already cleaned ({@link Untrusted}); the templates
 * {@code AlertMailer/alertHtml.html} (which HTML-escapes every value) and {@code AlertMailer/alertText.txt}
 * render it.
 *
 * @param period      the period the reports cover, or "not given" when no report said
 * @param failures    failed sessions by result type, largest first, each with its likely cause
 * @param hints       root-cause hints that compare the reports with the policy (MX not in the mx: patterns)
 * @param nextAlertAt when the next alert for the domain can come at the earliest
 */
public record AlertMail(
        String subject,
        String domain,
        String organisation,
        String period,
        long reports,
        long failedSessions,
        long successfulSessions,
        List<Failure> failures,
        List<Count> mxHosts,
        List<Count> ips,
        List<Reporter> reporters,
        List<String> hints,
        String dashboardLink,
        String nextAlertAt) {

    /** Failed sessions of one result type, in words, with its likely cause. */
    public record Failure(String resultType, String meaning, String likelyCause, long failedSessions) {
    }

    /** An MX host or IP address the senders tried, with its failed sessions. */
    public record Count(String name, long failedSessions) {
    }

    /** A reporting organisation. */
    public record Reporter(String name, long reports, long failedSessions) {
    }
}
