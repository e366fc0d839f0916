package io.tlswatch.store.dashboard;

import io.tlswatch.store.domain.DomainDetail;
import io.tlswatch.tlsrpt.hints.LikelyCauses;
import io.tlswatch.tlsrpt.hints.MxPatterns;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The likely causes of a domain's failures, in the alert mail's own words ({@link LikelyCauses} in
 * tlsrpt-model), and the failing MX hosts checked against the {@code mx:} patterns of the MTA-STS policies
 * the senders saw.
 */
public record DomainHints(List<Cause> causes, Optional<String> mxNotInPolicy, List<MxHost> mxHosts,
        List<String> patterns) {

    /** One result type with its failed sessions, what it means and what usually causes it. */
    public record Cause(String resultType, long failedSessions, boolean known, String meaning, String likelyCause) {
    }

    /** A failing MX host and whether the policies' patterns cover it (null: no STS patterns to go by). */
    public record MxHost(String host, long failedSessions, Boolean matchesPolicy) {
    }

    static DomainHints of(DomainDetail detail) {
        String domain = detail.status().name();
        List<Cause> causes = new ArrayList<>();
        for (DomainDetail.Count type : detail.byResultType()) {
            LikelyCauses.Explanation why = LikelyCauses.explain(type.value(), domain);
            causes.add(new Cause(type.value() == null || type.value().isBlank() ? "(none given)" : type.value(),
                    type.failedSessions(), why.known(), why.meaning(), why.likelyCause()));
        }
        Set<String> patterns = new LinkedHashSet<>();
        for (DomainDetail.PolicySeen policy : detail.policiesSeen()) {
            if ("sts".equalsIgnoreCase(policy.policyType())) {
                patterns.addAll(MxPatterns.of(policy.mxHost(), policy.policyString()));
            }
        }
        List<String> hosts = new ArrayList<>();
        List<MxHost> mxHosts = new ArrayList<>();
        for (DomainDetail.Count mx : detail.byReceivingMxHost()) {
            if (mx.value() == null || mx.value().isBlank()) {
                continue;
            }
            hosts.add(mx.value());
            Boolean matches = patterns.isEmpty() ? null
                    : patterns.stream().anyMatch(p -> MxPatterns.matches(mx.value(), p));
            mxHosts.add(new MxHost(mx.value(), mx.failedSessions(), matches));
        }
        List<String> patternList = List.copyOf(patterns);
        return new DomainHints(causes, LikelyCauses.mxNotInPolicy(domain, MxPatterns.unmatched(hosts, patternList),
                patternList), mxHosts, patternList);
    }
}
