package io.tlswatch.alert.testing;

import io.tlswatch.tlsrpt.DateRange;
import io.tlswatch.tlsrpt.FailureDetail;
import io.tlswatch.tlsrpt.Policy;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.PolicyType;
import io.tlswatch.tlsrpt.Summary;
import io.tlswatch.tlsrpt.TlsReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Reports built in a test, for what the real samples do not show (an MX that left the policy, hostile
 * strings). Shaped as the parser returns them.
 */
public final class Reports {

    private Reports() {
    }

    /** A day's report by {@code reporter} for yesterday (test clock), one STS policy with these failures. */
    public static TlsReport sts(String reporter, String policyDomain, List<String> mxPatterns, FailureDetail... failures) {
        Instant start = TestClock.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        long failed = 0;
        for (FailureDetail f : failures) {
            failed += f.failedSessionCount();
        }
        List<String> policyString = new java.util.ArrayList<>(List.of("version: STSv1", "mode: enforce"));
        mxPatterns.forEach(mx -> policyString.add("mx: " + mx));
        policyString.add("max_age: 604800");
        Policy policy = new Policy(PolicyType.STS, policyString, policyDomain, mxPatterns);
        return new TlsReport(reporter, new DateRange(start, start.plus(Duration.ofDays(1)).minusSeconds(1)),
                "mailto:tlsrpt@" + reporter.toLowerCase().replaceAll("[^a-z0-9.]", "") + ".example",
                UUID.randomUUID().toString(), List.of(new PolicyResult(policy, new Summary(10, failed), List.of(failures))));
    }

    public static FailureDetail failure(String resultType, String mxHost, String ip, long sessions) {
        return new FailureDetail(resultType, "198.51.100.7", mxHost, null, ip, sessions, null, null);
    }
}
