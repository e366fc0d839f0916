package io.tlswatch.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.tlsrpt.InvalidReportException.Reason;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generated reports for each group of "What real senders do" in RFC8460-NOTES.md (group 10 is mail:
 * see MailExtractorTest), and for what we decided still makes a report invalid.
 */
class QuirksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TlsRptParser parser = TlsRptParser.withDefaults();

    /** A valid report in the RFC's own shape; each test bends one thing. */
    static ObjectNode report() {
        ObjectNode report = JSON.createObjectNode();
        report.put("organization-name", "Example Sender");
        ObjectNode range = report.putObject("date-range");
        range.put("start-datetime", "2024-05-01T00:00:00Z");
        range.put("end-datetime", "2024-05-01T23:59:59Z");
        report.put("contact-info", "tlsrpt@sender.example");
        report.put("report-id", "2024-05-01_example.com");
        ObjectNode entry = report.putArray("policies").addObject();
        ObjectNode policy = entry.putObject("policy");
        policy.put("policy-type", "sts");
        policy.putArray("policy-string").add("version: STSv1").add("mode: enforce").add("mx: mx1.example.com");
        policy.put("policy-domain", "example.com");
        policy.putArray("mx-host").add("mx1.example.com");
        ObjectNode summary = entry.putObject("summary");
        summary.put("total-successful-session-count", 10);
        summary.put("total-failure-session-count", 2);
        ObjectNode detail = entry.putArray("failure-details").addObject();
        detail.put("result-type", "certificate-expired");
        detail.put("sending-mta-ip", "192.0.2.1");
        detail.put("receiving-mx-hostname", "mx1.example.com");
        detail.put("receiving-ip", "198.51.100.7");
        detail.put("failed-session-count", 2);
        return report;
    }

    static ObjectNode policy(ObjectNode report) {
        return (ObjectNode) report.get("policies").get(0).get("policy");
    }

    static ObjectNode summary(ObjectNode report) {
        return (ObjectNode) report.get("policies").get(0).get("summary");
    }

    static ObjectNode detail(ObjectNode report) {
        return (ObjectNode) report.get("policies").get(0).get("failure-details").get(0);
    }

    TlsReport parse(ObjectNode report) {
        try {
            return parser.parse(JSON.writeValueAsBytes(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    InvalidReportException rejected(ObjectNode report) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(report);
            return org.junit.jupiter.api.Assertions.assertThrows(InvalidReportException.class, () -> parser.parse(bytes));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theBaseReportIsValid() {
        TlsReport parsed = parse(report());
        assertThat(parsed.policies().get(0).failureDetails()).hasSize(1);
    }

    @Nested
    class WhatRealSendersDo {

        @ParameterizedTest(name = "{0} reads as {1}")
        @CsvSource({
            "2023-01-10T00:00:00, 2023-01-10T00:00:00Z",          // 1: Microsoft, no zone: UTC
            "2023-01-10T02:00:00+02:00, 2023-01-10T00:00:00Z",
            "2023-01-10t00:00:00z, 2023-01-10T00:00:00Z",
            "2023-01-10 00:00:00Z, 2023-01-10T00:00:00Z",         // RFC 3339 allows a space
            "2023-01-10T00:00:00.250Z, 2023-01-10T00:00:00.250Z",
        })
        void group1DateTimesWithoutAZoneAreUtc(String sent, String expected) {
            ObjectNode report = report();
            ((ObjectNode) report.get("date-range")).put("start-datetime", sent);
            assertThat(parse(report).dateRange().start()).isEqualTo(Instant.parse(expected));
        }

        @Test
        void group2EndAtNextDayMidnightIsKeptAsSent() {
            ObjectNode report = report();
            ((ObjectNode) report.get("date-range")).put("end-datetime", "2024-05-02T00:00:00Z");
            assertThat(parse(report).dateRange().end()).isEqualTo(Instant.parse("2024-05-02T00:00:00Z"));
        }

        @Test
        void group3MxHostAsASingleString() {
            ObjectNode report = report();
            policy(report).put("mx-host", "*.mail.example.com");
            assertThat(parse(report).policies().get(0).policy().mxHost()).containsExactly("*.mail.example.com");
        }

        @Test
        void group4PolicyStringAsOneStringHoldingAJsonArray() {
            ObjectNode report = report();
            policy(report).put("policy-type", "tlsa");
            policy(report).putArray("policy-string").add("[\"3 1 1 AB\",\"3 1 1 CD\"]");
            assertThat(parse(report).policies().get(0).policy().policyString()).containsExactly("3 1 1 AB", "3 1 1 CD");

            policy(report).put("policy-string", "[\"3 1 1 EF\"]");
            assertThat(parse(report).policies().get(0).policy().policyString()).containsExactly("3 1 1 EF");
        }

        @Test
        void group4AStringThatOnlyLooksLikeAnArrayIsKept() {
            ObjectNode report = report();
            policy(report).putArray("policy-string").add("[not json");
            assertThat(parse(report).policies().get(0).policy().policyString()).containsExactly("[not json");
        }

        @Test
        void group5TlsaPolicyDomainNamingTheRecipientDomainIsKept() {
            ObjectNode report = report();
            policy(report).put("policy-type", "tlsa");
            policy(report).put("policy-domain", "Example.COM.");
            Policy parsed = parse(report).policies().get(0).policy();
            assertThat(parsed.policyType()).isEqualTo(PolicyType.TLSA);
            assertThat(parsed.policyDomain()).isEqualTo("example.com");
        }

        @Test
        void group6MissingRequiredFieldsThatRealSendersOmit() {
            ObjectNode report = report();
            report.put("report-id", "133944884956529435+");
            policy(report).remove("policy-string");
            policy(report).remove("policy-domain");
            policy(report).put("policy-type", "no-policy-found");
            detail(report).remove("sending-mta-ip");
            detail(report).remove("receiving-mx-hostname");
            detail(report).put("result-type", "sts-policy-fetch-error");
            TlsReport parsed = parse(report);
            assertThat(parsed.reportId()).isEqualTo("133944884956529435+");
            Policy policy = parsed.policies().get(0).policy();
            assertThat(policy.policyString()).isEmpty();
            assertThat(policy.policyDomain()).isNull();
            FailureDetail detail = parsed.policies().get(0).failureDetails().get(0);
            assertThat(detail.sendingMtaIp()).isNull();
            assertThat(detail.receivingMxHostname()).isNull();
        }

        @Test
        void group7WrongValues() {
            ObjectNode report = report();
            report.putNull("contact-info");
            policy(report).putArray("mx-host").add("mx: mx1.example.com").add("MX:mx2.example.com");
            detail(report).put("sending-mta-ip", "");
            detail(report).put("receiving-ip", "   ");
            detail(report).put("failure-reason-code", "TLS handshake failed: \"certificate verify failed\"");
            TlsReport parsed = parse(report);
            assertThat(parsed.contactInfo()).isNull();
            assertThat(parsed.policies().get(0).policy().mxHost()).containsExactly("mx1.example.com", "mx2.example.com");
            FailureDetail detail = parsed.policies().get(0).failureDetails().get(0);
            assertThat(detail.sendingMtaIp()).isNull();
            assertThat(detail.receivingIp()).isNull();
            assertThat(detail.failureReasonCode()).isEqualTo("TLS handshake failed: \"certificate verify failed\"");
        }

        @Test
        void group8FieldNameVariantsFromTheRfcsOwnProse() {
            ObjectNode report = report();
            policy(report).remove("mx-host");
            policy(report).putArray("mx-host-pattern").add("*.example.com");
            detail(report).put("additional-info-uri", "https://sender.example/why");
            TlsReport parsed = parse(report);
            assertThat(parsed.policies().get(0).policy().mxHost()).containsExactly("*.example.com");
            assertThat(parsed.policies().get(0).failureDetails().get(0).additionalInformation())
                    .isEqualTo("https://sender.example/why");
        }

        @Test
        void group9CountsThatDisagreeAreKeptAsSent() {
            ObjectNode report = report();
            summary(report).put("total-failure-session-count", 1);
            detail(report).put("failed-session-count", 7);
            ((ArrayNode) report.get("policies").get(0).get("failure-details")).addObject()
                    .put("result-type", "starttls-not-supported").put("failed-session-count", 5);
            PolicyResult parsed = parse(report).policies().get(0);
            assertThat(parsed.summary().totalFailureSessionCount()).isEqualTo(1);
            assertThat(parsed.failureDetails()).extracting(FailureDetail::failedSessionCount).containsExactly(7L, 5L);
        }

        @Test
        void group11ReportIdsAreKeptExactlyAsSent() {
            ObjectNode report = report();
            report.put("report-id", "2024-05-01_idx1_example.com");
            assertThat(parse(report).reportId()).isEqualTo("2024-05-01_idx1_example.com");
        }

        @Test
        void unknownResultTypesAreKeptNotDropped() {
            ObjectNode report = report();
            detail(report).put("result-type", "quantum-key-mismatch");
            FailureDetail detail = parse(report).policies().get(0).failureDetails().get(0);
            assertThat(detail.resultType()).isEqualTo("quantum-key-mismatch");
            assertThat(detail.knownResultType()).isEmpty();
        }

        @Test
        void countsSentAsDigitStringsAreRead() {
            ObjectNode report = report();
            summary(report).put("total-successful-session-count", "12");
            assertThat(parse(report).policies().get(0).summary().totalSuccessfulSessionCount()).isEqualTo(12);
        }

        @Test
        void unknownFieldsAreIgnored() {
            ObjectNode report = report();
            report.putObject("x-vendor").putArray("deep").addObject().put("a", 1);
            assertThat(parse(report).organizationName()).isEqualTo("Example Sender");
        }

        @Test
        void idnDomainsAreStoredAsALabels() {
            ObjectNode report = report();
            policy(report).put("policy-domain", "bücher.example");
            assertThat(parse(report).policies().get(0).policy().policyDomain()).isEqualTo("xn--bcher-kva.example");
        }
    }

    @Nested
    class WhatStillMakesAReportInvalid {

        @Test
        void missingPolicies() {
            ObjectNode report = report();
            report.remove("policies");
            assertThat(rejected(report).getMessage()).isEqualTo("policies: missing");
        }

        @Test
        void emptyPolicies() {
            ObjectNode report = report();
            report.putArray("policies");
            assertThat(rejected(report).getMessage()).isEqualTo("policies: empty: a report must describe at least one policy");
        }

        @Test
        void missingSummary() {
            ObjectNode report = report();
            ((ObjectNode) report.get("policies").get(0)).remove("summary");
            InvalidReportException e = rejected(report);
            assertThat(e.reason()).isEqualTo(Reason.NOT_A_REPORT);
            assertThat(e.getMessage()).isEqualTo("policies[0].summary: missing");
        }

        @Test
        void missingIdentity() {
            ObjectNode report = report();
            report.remove("organization-name");
            report.put("report-id", "  ");
            report.remove("date-range");
            assertThat(rejected(report).getMessage())
                    .isEqualTo("organization-name: missing; report-id: missing; date-range: missing");
        }

        @Test
        void unreadableDate() {
            ObjectNode report = report();
            ((ObjectNode) report.get("date-range")).put("end-datetime", "yesterday");
            assertThat(rejected(report).getMessage())
                    .isEqualTo("date-range.end-datetime: not an RFC 3339 date-time: \"yesterday\"");
        }

        @Test
        void endBeforeStart() {
            ObjectNode report = report();
            ((ObjectNode) report.get("date-range")).put("end-datetime", "2024-04-30T00:00:00Z");
            assertThat(rejected(report).getMessage()).startsWith("date-range: end-datetime 2024-04-30T00:00:00Z is before");
        }

        @Test
        void negativeOrFractionalCounts() {
            ObjectNode report = report();
            summary(report).put("total-failure-session-count", -1);
            detail(report).put("failed-session-count", 1.5);
            assertThat(rejected(report).getMessage()).isEqualTo(
                    "policies[0].summary.total-failure-session-count: expected a non-negative integer, found -1; "
                    + "policies[0].failure-details[0].failed-session-count: expected a non-negative integer, found a number");
        }

        @Test
        void nullSummaryCountIsMissingNotZero() {
            ObjectNode report = report();
            summary(report).putNull("total-successful-session-count");
            assertThat(rejected(report).getMessage())
                    .isEqualTo("policies[0].summary.total-successful-session-count: missing");
        }

        @Test
        void failureDetailWithoutResultType() {
            ObjectNode report = report();
            detail(report).remove("result-type");
            assertThat(rejected(report).getMessage()).isEqualTo("policies[0].failure-details[0].result-type: missing");
        }

        @Test
        void wrongShapes() {
            ObjectNode report = report();
            report.put("date-range", "2024-05-01");
            policy(report).putObject("policy-domain");
            assertThat(rejected(report).getMessage()).isEqualTo(
                    "date-range: expected an object, found a string; "
                    + "policies[0].policy.policy-domain: expected a string, found an object");
        }
    }

    @Test
    void normalisedReportSerialisesWithTheRfcFieldNamesAndReadsBack() throws Exception {
        TlsReport parsed = parse(report());
        String json = TlsRptJson.mapper().writeValueAsString(parsed);
        assertThat(json).contains("\"organization-name\":\"Example Sender\"", "\"start-datetime\":\"2024-05-01T00:00:00Z\"",
                "\"policy-type\":\"sts\"", "\"mx-host\":[\"mx1.example.com\"]", "\"total-failure-session-count\":2",
                "\"failure-details\":[{\"result-type\":\"certificate-expired\"");
        assertThat(TlsRptJson.mapper().readValue(json, TlsReport.class)).isEqualTo(parsed);
    }
}
