package io.tlswatch.alert.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.tlswatch.tlsrpt.alerting.AlertContext;
import io.tlswatch.alert.config.AlertConfig;
import io.tlswatch.tlsrpt.hints.LikelyCauses;
import io.tlswatch.tlsrpt.hints.MxPatterns;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes and sends a domain's alert: one message to all of its organisation's alert addresses, HTML and
 * plain text, marked {@code Auto-Submitted: auto-generated} (RFC 3834) so that out-of-office replies and
 * other robots leave it alone. The returned Uni completes only when the mail server has accepted the
 * message, which is when the sweep may record the alert as sent.
 */
@ApplicationScoped
public class AlertMailer {

    public static final String SUBJECT_PREFIX = "TLS delivery failures reported for ";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance alertHtml(AlertMail alert);

        static native TemplateInstance alertText(AlertMail alert);
    }

    /**
     * What the failure events themselves said, for when report-store's summary has no report in its
     * period (a report whose period starts outside it): the mail still names the domain and the counts.
     */
    public record Evidence(long failedSessions, List<String> reporters, Instant start, Instant end) {
    }

    private final ReactiveMailer mailer;
    private final String dashboardUrl;
    private final Duration sendTimeout;
    private final String messageIdHost;

    AlertMailer(ReactiveMailer mailer, AlertConfig config,
            @ConfigProperty(name = "quarkus.mailer.from") Optional<String> from) {
        this.mailer = mailer;
        this.dashboardUrl = config.dashboardUrl().replaceAll("/+$", "");
        this.sendTimeout = config.alert().sendTimeout();
        this.messageIdHost = messageIdHost(from.orElse(""));
    }

    /** The mail for a domain's alert context, as of {@code now}, quiet for {@code window} afterwards. */
    public AlertMail compose(AlertContext context, Evidence evidence, Instant now, Duration window) {
        String domain = Untrusted.header(context.domain().name(), 253);
        if (domain.isEmpty()) {
            domain = "(a domain without a printable name)";
        }
        AlertContext.Summary summary = context.summary();
        boolean summarised = summary != null && summary.reports() > 0;

        String period;
        if (summarised && summary.dateRange() != null) {
            period = span(summary.dateRange().start(), summary.dateRange().end());
        } else {
            period = span(evidence.start(), evidence.end());
        }

        List<AlertMail.Failure> failures = new ArrayList<>();
        List<AlertMail.Count> mxHosts = new ArrayList<>();
        List<AlertMail.Count> ips = new ArrayList<>();
        List<AlertMail.Reporter> reporters = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        if (summarised) {
            String policyDomain = stsPolicyDomain(summary, domain);
            for (AlertContext.ResultType type : summary.resultTypes()) {
                String resultType = Untrusted.text(type.resultType(), 64);
                LikelyCauses.Explanation why = LikelyCauses.explain(resultType, policyDomain);
                failures.add(new AlertMail.Failure(resultType.isEmpty() ? "(none given)" : resultType, why.meaning(),
                        why.likelyCause(), type.failedSessions()));
            }
            summary.receivingMxHostnames().forEach(mx -> mxHosts.add(
                    new AlertMail.Count(Untrusted.text(mx.hostname()), mx.failedSessions())));
            summary.receivingIps().forEach(ip -> ips.add(new AlertMail.Count(Untrusted.text(ip.ip(), 64),
                    ip.failedSessions())));
            summary.reporters().forEach(r -> reporters.add(new AlertMail.Reporter(
                    Untrusted.text(r.organizationName()), r.reports(), r.failedSessions())));
            mxNotInPolicy(summary, policyDomain).ifPresent(hints::add);
        } else {
            evidence.reporters().stream().map(Untrusted::text).distinct()
                    .forEach(name -> reporters.add(new AlertMail.Reporter(name, 0, 0)));
        }

        return new AlertMail(
                SUBJECT_PREFIX + domain,
                domain,
                Untrusted.text(context.organisation() == null ? null : context.organisation().name()),
                period,
                summarised ? summary.reports() : 0,
                summarised ? summary.failedSessions() : evidence.failedSessions(),
                summarised ? summary.successfulSessions() : 0,
                failures, mxHosts, ips, reporters, hints,
                dashboardUrl + "/domains/" + URLEncoder.encode(context.domain().name() == null ? ""
                        : context.domain().name(), StandardCharsets.UTF_8).replace("+", "%20"),
                WHEN.format(now.plus(window)));
    }

    /** The Message-ID this alert gets under this claim: unique per attempt, and recorded with "sent". */
    public String messageId(long alertId, UUID claim) {
        return "<tlswatch-alert-" + alertId + "-" + claim + "@" + messageIdHost + ">";
    }

    /** Sends {@code alert} to {@code recipients}; completes when the mail server has taken it. */
    public Uni<Void> send(AlertMail alert, List<String> recipients, String messageId) {
        return Uni.createFrom().deferred(() -> mailer.send(new Mail()
                        .setTo(List.copyOf(recipients))
                        .setSubject(alert.subject())
                        .setText(Templates.alertText(alert).render())
                        .setHtml(Templates.alertHtml(alert).render())
                        .addHeader("Message-ID", messageId)
                        .addHeader("Auto-Submitted", "auto-generated")
                        .addHeader("X-Auto-Response-Suppress", "All")))
                .ifNoItem().after(sendTimeout)
                .failWith(() -> new TimeoutException("the mail server did not accept the message within " + sendTimeout));
    }

    private static Optional<String> mxNotInPolicy(AlertContext.Summary summary, String domain) {
        Set<String> patterns = new LinkedHashSet<>();
        for (AlertContext.Policy policy : summary.policies()) {
            if ("sts".equalsIgnoreCase(policy.policyType())) {
                patterns.addAll(MxPatterns.of(policy.mxHost(), policy.policyString()));
            }
        }
        List<String> hosts = summary.receivingMxHostnames().stream().map(AlertContext.MxHost::hostname).toList();
        List<String> cleanPatterns = patterns.stream().map(Untrusted::text).toList();
        List<String> unmatched = MxPatterns.unmatched(hosts, List.copyOf(patterns)).stream().map(Untrusted::text).toList();
        return LikelyCauses.mxNotInPolicy(domain, unmatched, cleanPatterns);
    }

    /** The policy domain the MTA-STS texts should name: the one STS policy's, else the alerted domain. */
    private static String stsPolicyDomain(AlertContext.Summary summary, String domain) {
        List<String> domains = summary.policies().stream()
                .filter(p -> "sts".equalsIgnoreCase(p.policyType()) && p.policyDomain() != null)
                .map(p -> Untrusted.text(p.policyDomain(), 253)).filter(d -> !d.isEmpty()).distinct().toList();
        return domains.size() == 1 ? domains.get(0) : domain;
    }

    private static String span(Instant start, Instant end) {
        if (start == null && end == null) {
            return "not given by the reports";
        }
        if (start == null || end == null) {
            return WHEN.format(start == null ? end : start);
        }
        return WHEN.format(start) + " to " + WHEN.format(end);
    }

    private static String messageIdHost(String from) {
        String address = from.contains("<") ? from.substring(from.lastIndexOf('<') + 1).replace(">", "") : from;
        String host = address.contains("@") ? address.substring(address.lastIndexOf('@') + 1).strip() : "";
        return host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?") ? host.toLowerCase(Locale.ROOT)
                : "tlswatch.invalid";
    }
}
