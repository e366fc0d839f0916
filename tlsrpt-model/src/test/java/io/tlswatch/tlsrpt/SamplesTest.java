package io.tlswatch.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlswatch.tlsrpt.InvalidReportException.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each JSON sample parses to the values a person reads in the file (written here by reading the
 * samples, not by pasting parser output). The .eml samples are covered by MailExtractorTest.
 */
class SamplesTest {

    private final TlsRptParser parser = TlsRptParser.withDefaults();

    static List<String> validJsonSamples() {
        return Samples.named(".json").stream().filter(n -> !n.equals("stalwartlabs_mail-auth__rpt03.json")).toList();
    }

    @ParameterizedTest
    @MethodSource("validJsonSamples")
    void everyValidSampleParsesTheSameAsJsonAndAsGzip(String name) {
        byte[] json = Samples.read(name);
        assertThat(parser.parse(Samples.gzip(json))).isEqualTo(parser.parse(json));
    }

    @Test
    void googleNoPolicyFoundCompactJson() {
        TlsReport report = parser.parse(Samples.read("cry-inc_dmarc-report-viewer__google.json"));
        assertThat(report.organizationName()).isEqualTo("Google Inc.");
        assertThat(report.reportId()).isEqualTo("2025-04-12T00:00:00Z_domain.de");
        assertThat(report.contactInfo()).isEqualTo("smtp-tls-reporting@google.com");
        assertThat(report.dateRange()).isEqualTo(new DateRange(
                Instant.parse("2025-04-12T00:00:00Z"), Instant.parse("2025-04-12T23:59:59Z")));
        PolicyResult only = single(report.policies());
        assertThat(only.policy().policyType()).isEqualTo(PolicyType.NO_POLICY_FOUND);
        assertThat(only.policy().policyDomain()).isEqualTo("domain.de");
        assertThat(only.policy().policyString()).isEmpty();
        assertThat(only.policy().mxHost()).isEmpty();
        assertThat(only.summary()).isEqualTo(new Summary(2, 0));
        assertThat(only.failureDetails()).isEmpty();
    }

    @Test
    void microsoftStsAndTlsaWithJsonEncodedPolicyString() {
        TlsReport report = parser.parse(Samples.read("cry-inc_dmarc-report-viewer__microsoft.json"));
        assertThat(report.organizationName()).isEqualTo("Microsoft Corporation");
        assertThat(report.reportId()).isEqualTo("133925885310113267+random.net");
        assertThat(report.policies()).hasSize(2);
        Policy sts = report.policies().get(0).policy();
        assertThat(sts.policyType()).isEqualTo(PolicyType.STS);
        assertThat(sts.policyDomain()).isEqualTo("random.net");
        assertThat(sts.policyString())
                .containsExactly("version: STSv1", "mode: enforce", "mx: *.random.net", "max_age: 2592000");
        Policy tlsa = report.policies().get(1).policy();
        assertThat(tlsa.policyType()).isEqualTo(PolicyType.TLSA);
        assertThat(tlsa.policyString()).containsExactly(
                "3 1 1 6007EEE553E85D8DF007A845D19EC343283D4E416E9A33F9EF3040C8B7C285BC",
                "3 1 1 837C773D54C2E2BD71871A3FC352BE8214D5646CBAE5E3091401A7274717998B");
        assertThat(report.policies()).allSatisfy(p -> assertThat(p.summary()).isEqualTo(new Summary(2, 0)));
    }

    @Test
    void noContactKeepsNullContactAndStripsMxPrefix() {
        TlsReport report = parser.parse(Samples.read("cry-inc_dmarc-report-viewer__no-contact.json"));
        assertThat(report.organizationName()).isEqualTo("server.com");
        assertThat(report.reportId()).isEqualTo("123_456");
        assertThat(report.contactInfo()).isNull();
        assertThat(report.dateRange().end()).isEqualTo(Instant.parse("2026-01-12T00:00:00Z"));
        PolicyResult only = single(report.policies());
        assertThat(only.policy().mxHost()).containsExactly("mx.server.com");
        assertThat(only.policy().policyString()).hasSize(4).contains("mx: mx.server.com");
        assertThat(only.summary()).isEqualTo(new Summary(1, 0));
        assertThat(only.failureDetails()).isEmpty();
    }

    @Test
    void fetchErrorWithoutIpOrMxAndReportIdEndingInPlus() {
        TlsReport report = parser.parse(Samples.read("cry-inc_dmarc-report-viewer__no_ip_and_mx.json"));
        assertThat(report.reportId()).isEqualTo("1234567890+");
        PolicyResult only = single(report.policies());
        assertThat(only.policy().policyType()).isEqualTo(PolicyType.STS);
        assertThat(only.policy().policyDomain()).isEqualTo("xxxxxxxx.xx");
        assertThat(only.policy().policyString()).isEmpty();
        assertThat(only.summary()).isEqualTo(new Summary(0, 3));
        FailureDetail detail = single(only.failureDetails());
        assertThat(detail.resultType()).isEqualTo("sts-policy-fetch-error");
        assertThat(detail.knownResultType()).contains(ResultType.STS_POLICY_FETCH_ERROR);
        assertThat(detail.failedSessionCount()).isEqualTo(3L);
        assertThat(detail.sendingMtaIp()).isNull();
        assertThat(detail.receivingMxHostname()).isNull();
    }

    @Test
    void mailRuCountsThatDisagreeAreKeptAsSent() {
        TlsReport report = parser.parse(Samples.read("domainaware_parsedmarc__mail.ru.json"));
        assertThat(report.organizationName()).isEqualTo("Mail.ru");
        assertThat(report.reportId()).isEqualTo("b28254de-7b2e-be36-bb5c-4c3b92da8b25@mail.ru");
        assertThat(report.contactInfo()).isEqualTo("tls_support@corp.mail.ru");
        assertThat(report.dateRange()).isEqualTo(new DateRange(
                Instant.parse("2024-02-22T00:00:00Z"), Instant.parse("2024-02-23T00:00:00Z")));
        PolicyResult only = single(report.policies());
        assertThat(only.policy().policyDomain()).isEqualTo("example.com");
        assertThat(only.summary()).isEqualTo(new Summary(0, 1));
        assertThat(only.failureDetails()).extracting(FailureDetail::failedSessionCount).containsExactly(1L, 1L);
        assertThat(only.failureDetails()).extracting(FailureDetail::failureReasonCode)
                .containsExactly("bad https response code: 404", "bad https response code: 500");
    }

    @Test
    void rfcAppendixBExampleWithMxHostAsString() {
        TlsReport report = parser.parse(Samples.read("domainaware_parsedmarc__rfc8460.json"));
        assertThat(report.organizationName()).isEqualTo("Company-X");
        assertThat(report.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        PolicyResult only = single(report.policies());
        assertThat(only.policy().policyDomain()).isEqualTo("company-y.example");
        assertThat(only.policy().mxHost()).containsExactly("*.mail.company-y.example");
        assertThat(only.summary()).isEqualTo(new Summary(5326, 303));
        assertThat(only.failureDetails()).extracting(FailureDetail::resultType)
                .containsExactly("certificate-expired", "starttls-not-supported", "validation-failure");
        assertThat(only.failureDetails()).extracting(FailureDetail::failedSessionCount).containsExactly(100L, 200L, 3L);
        FailureDetail second = only.failureDetails().get(1);
        assertThat(second.sendingMtaIp()).isEqualTo("2001:db8:abcd:0013::1");
        assertThat(second.receivingMxHostname()).isEqualTo("mx2.mail.company-y.example");
        assertThat(second.receivingIp()).isEqualTo("203.0.113.56");
        assertThat(second.additionalInformation())
                .isEqualTo("https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported");
        assertThat(only.failureDetails().get(2).failureReasonCode()).isEqualTo("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
    }

    @Test
    void googlePrettyPrintedEnforceReport() {
        TlsReport report = parser.parse(Samples.read("phi-ag_mta-sts-exporter__google.json"));
        assertThat(report.reportId()).isEqualTo("2024-02-17T00:00:00Z_example.com");
        PolicyResult only = single(report.policies());
        assertThat(only.policy().policyType()).isEqualTo(PolicyType.STS);
        assertThat(only.policy().mxHost()).containsExactly("example.com");
        assertThat(only.summary()).isEqualTo(new Summary(53, 0));
    }

    @Test
    void negativeSampleIsRejectedNamingEveryOffendingField() {
        assertThatThrownBy(() -> parser.parse(Samples.read("stalwartlabs_mail-auth__rpt03.json")))
                .isInstanceOfSatisfying(InvalidReportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_A_REPORT);
                    assertThat(e.getMessage()).isEqualTo(
                            "policies[0].summary.total-failure-session-count: missing; "
                            + "policies[1].policy.policy-type: unknown value \"invalid-policy-type\" "
                            + "(expected sts, tlsa or no-policy-found); "
                            + "policies[1].summary.total-failure-session-count: missing");
                });
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
