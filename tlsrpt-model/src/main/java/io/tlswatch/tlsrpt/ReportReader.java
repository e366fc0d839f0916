package io.tlswatch.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.tlswatch.tlsrpt.InvalidReportException.Problem;
import io.tlswatch.tlsrpt.InvalidReportException.Reason;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one report from a JSON token stream, lenient exactly where real senders differ from RFC 8460
 * (RFC8460-NOTES.md, "What real senders do") and strict where the report would be meaningless:
 *
 * <ul>
 *   <li>Invalid: a top level that is not an object; no {@code organization-name}, {@code report-id},
 *       {@code date-range} (or an unreadable date) or {@code policies}; an empty {@code policies};
 *       a policy without {@code policy}, {@code policy-type} or {@code summary}; a policy type
 *       other than sts, tlsa, no-policy-found (that list has no registry that can grow); a summary
 *       without either count (we never invent a count); a failure detail without
 *       {@code result-type}; a count that is not a non-negative integer.</li>
 *   <li>Forgiven: date-times without a zone (UTC); {@code mx-host} (or {@code mx-host-pattern}) as a
 *       string, or with {@code mx: } prefixes; {@code policy-string} as one string holding a JSON
 *       array; {@code additional-info-uri}; missing or null {@code contact-info},
 *       {@code policy-string}, {@code policy-domain}, {@code failure-details} and detail fields;
 *       empty strings (read as absent); counts sent as digit strings; unknown fields (ignored) and
 *       unknown result types (kept as sent). Counts that disagree are kept as sent.</li>
 * </ul>
 *
 * Every problem found is collected with its path, so one error names all of them.
 */
final class ReportReader {

    private static final int MAX_PROBLEMS = 20;
    /** Values this short repeat across failure details (IPs, hosts, types); share one copy. */
    private static final int MAX_SHARED_LENGTH = 256;

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter(Locale.ROOT);

    private final JsonParser parser;
    private final JsonFactory factory;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> shared = new HashMap<>();
    private int policiesSent = -1;

    ReportReader(JsonParser parser, JsonFactory factory) {
        this.parser = parser;
        this.factory = factory;
    }

    TlsReport read() throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw notAReport("", "top level must be a JSON object, found " + describe(first));
        }
        String organization = null;
        String contact = null;
        String reportId = null;
        DateRange dateRange = null;
        List<PolicyResult> policies = null;
        boolean sawDateRange = false;
        boolean sawPolicies = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "organization-name" -> organization = readString(name);
                case "contact-info" -> contact = readString(name);
                case "report-id" -> reportId = readString(name);
                case "date-range" -> {
                    sawDateRange = true;
                    dateRange = readDateRange(name);
                }
                case "policies" -> {
                    sawPolicies = true;
                    policies = readPolicies(name);
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            problem("", "unexpected content after the report object");
        }
        require(organization, "organization-name");
        require(reportId, "report-id");
        if (!sawDateRange) {
            problem("date-range", "missing");
        }
        if (!sawPolicies) {
            problem("policies", "missing");
        } else if (policiesSent == 0) {
            problem("policies", "empty: a report must describe at least one policy");
        }
        if (!problems.isEmpty()) {
            throw new InvalidReportException(Reason.NOT_A_REPORT, problems);
        }
        return new TlsReport(organization, dateRange, contact, reportId, policies);
    }

    private DateRange readDateRange(String path) throws IOException {
        if (!expectObject(path)) {
            return null;
        }
        Instant start = null;
        Instant end = null;
        boolean sawStart = false;
        boolean sawEnd = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "start-datetime" -> {
                    sawStart = true;
                    start = readDateTime(path + "." + name);
                }
                case "end-datetime" -> {
                    sawEnd = true;
                    end = readDateTime(path + "." + name);
                }
                default -> parser.skipChildren();
            }
        }
        if (!sawStart) {
            problem(path + ".start-datetime", "missing");
        }
        if (!sawEnd) {
            problem(path + ".end-datetime", "missing");
        }
        if (start != null && end != null && end.isBefore(start)) {
            problem(path, "end-datetime " + end + " is before start-datetime " + start);
        }
        return start == null || end == null ? null : new DateRange(start, end);
    }

    private Instant readDateTime(String path) throws IOException {
        String text = readString(path);
        if (text == null) {
            problem(path, "missing");
            return null;
        }
        try {
            TemporalAccessor parsed = DATE_TIME.parse(text.strip());
            LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed), LocalTime.from(parsed));
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))
                    : ZoneOffset.UTC; // Microsoft sends no zone; RFC 8460 means UTC.
            return local.toInstant(offset);
        } catch (DateTimeException e) { // parse errors and impossible dates such as 2024-02-30
            problem(path, "not an RFC 3339 date-time: \"" + abbreviate(text) + "\"");
            return null;
        }
    }

    private List<PolicyResult> readPolicies(String path) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            problem(path, "missing");
            return null;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            problem(path, "expected an array, found " + describe(parser.currentToken()));
            parser.skipChildren();
            return null;
        }
        List<PolicyResult> policies = new ArrayList<>();
        policiesSent = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            PolicyResult policy = readPolicyResult(path + "[" + policiesSent++ + "]");
            if (policy != null) {
                policies.add(policy);
            }
        }
        return policies;
    }

    private PolicyResult readPolicyResult(String path) throws IOException {
        if (!expectObject(path)) {
            return null;
        }
        Policy policy = null;
        Summary summary = null;
        List<FailureDetail> details = List.of();
        boolean sawPolicy = false;
        boolean sawSummary = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "policy" -> {
                    sawPolicy = true;
                    policy = readPolicy(path + ".policy");
                }
                case "summary" -> {
                    sawSummary = true;
                    summary = readSummary(path + ".summary");
                }
                case "failure-details" -> details = readFailureDetails(path + ".failure-details");
                default -> parser.skipChildren();
            }
        }
        if (!sawPolicy) {
            problem(path + ".policy", "missing");
        }
        if (!sawSummary) {
            problem(path + ".summary", "missing");
        }
        return policy == null || summary == null ? null : new PolicyResult(policy, summary, details);
    }

    private Policy readPolicy(String path) throws IOException {
        if (!expectObject(path)) {
            return null;
        }
        PolicyType type = null;
        boolean sawType = false;
        List<String> policyStrings = List.of();
        String domain = null;
        List<String> mxHosts = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "policy-type" -> {
                    sawType = true;
                    type = readPolicyType(path + "." + name);
                }
                case "policy-string" -> policyStrings = readPolicyStrings(path + "." + name);
                case "policy-domain" -> domain = DomainNames.normalise(readString(path + "." + name));
                // "mx-host-pattern" is the name RFC 8460's own prose uses (§4.4) for the same field.
                case "mx-host", "mx-host-pattern" -> mxHosts = readMxHosts(path + "." + name);
                default -> parser.skipChildren();
            }
        }
        if (!sawType) {
            problem(path + ".policy-type", "missing");
        }
        return type == null ? null : new Policy(type, policyStrings, domain, mxHosts);
    }

    private PolicyType readPolicyType(String path) throws IOException {
        String text = readString(path);
        if (text == null) {
            problem(path, "missing");
            return null;
        }
        return PolicyType.fromWire(text).orElseGet(() -> {
            problem(path, "unknown value \"" + abbreviate(text) + "\" (expected sts, tlsa or no-policy-found)");
            return null;
        });
    }

    /** An array of strings; or one string; either may hold a JSON-encoded array (Microsoft's TLSA). */
    private List<String> readPolicyStrings(String path) throws IOException {
        List<String> raw = readStringOrArray(path);
        List<String> expanded = new ArrayList<>(raw.size());
        for (String value : raw) {
            List<String> inner = value.startsWith("[") ? decodeJsonStringArray(value) : null;
            if (inner == null) {
                expanded.add(value);
            } else {
                expanded.addAll(inner);
            }
        }
        return expanded;
    }

    private List<String> readMxHosts(String path) throws IOException {
        List<String> raw = readStringOrArray(path);
        List<String> hosts = new ArrayList<>(raw.size());
        for (String value : raw) {
            String host = value;
            if (host.regionMatches(true, 0, "mx:", 0, 3)) {
                host = host.substring(3);
            }
            host = DomainNames.normalise(host);
            if (host != null) {
                hosts.add(host);
            }
        }
        return hosts;
    }

    private Summary readSummary(String path) throws IOException {
        if (!expectObject(path)) {
            return null;
        }
        Long successful = null;
        Long failed = null;
        boolean sawSuccessful = false;
        boolean sawFailed = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "total-successful-session-count" -> {
                    sawSuccessful = true;
                    successful = readRequiredCount(path + "." + name);
                }
                case "total-failure-session-count" -> {
                    sawFailed = true;
                    failed = readRequiredCount(path + "." + name);
                }
                default -> parser.skipChildren();
            }
        }
        if (!sawSuccessful) {
            problem(path + ".total-successful-session-count", "missing");
        }
        if (!sawFailed) {
            problem(path + ".total-failure-session-count", "missing");
        }
        return successful == null || failed == null ? null : new Summary(successful, failed);
    }

    private List<FailureDetail> readFailureDetails(String path) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            problem(path, "expected an array, found " + describe(parser.currentToken()));
            parser.skipChildren();
            return List.of();
        }
        List<FailureDetail> details = new ArrayList<>();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            FailureDetail detail = readFailureDetail(path + "[" + index++ + "]");
            if (detail != null) {
                details.add(detail);
            }
        }
        return details;
    }

    private FailureDetail readFailureDetail(String path) throws IOException {
        if (!expectObject(path)) {
            return null;
        }
        String resultType = null;
        String sendingIp = null;
        String mxHostname = null;
        String mxHelo = null;
        String receivingIp = null;
        Long count = null;
        String additional = null;
        String reasonCode = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "result-type" -> resultType = readSharedString(path, name);
                case "sending-mta-ip" -> sendingIp = readSharedString(path, name);
                case "receiving-mx-hostname" -> mxHostname = DomainNames.normalise(readSharedString(path, name));
                case "receiving-mx-helo" -> mxHelo = readSharedString(path, name);
                case "receiving-ip" -> receivingIp = readSharedString(path, name);
                case "failed-session-count" -> count = readCount(path + "." + name);
                // RFC 8460's §4.4 prose says "additional-info-uri"; its schema says "additional-information".
                case "additional-information", "additional-info-uri" -> additional = readSharedString(path, name);
                case "failure-reason-code" -> reasonCode = readSharedString(path, name);
                default -> parser.skipChildren();
            }
        }
        if (resultType == null) {
            problem(path + ".result-type", "missing");
            return null;
        }
        return new FailureDetail(resultType, sendingIp, mxHostname, mxHelo, receivingIp, count, additional,
                reasonCode);
    }

    // --- scalar readers -------------------------------------------------------------------------

    /** A string, or null for null, an empty string or a missing value; numbers and booleans as text. */
    private String readString(String path) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case VALUE_STRING -> {
                String text = parser.getText().strip();
                return text.isEmpty() ? null : text;
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return parser.getText();
            }
            default -> {
                problem(path, "expected a string, found " + describe(token));
                parser.skipChildren();
                return null;
            }
        }
    }

    private String readSharedString(String parentPath, String name) throws IOException {
        String text = readString(parentPath + "." + name);
        if (text == null || text.length() > MAX_SHARED_LENGTH) {
            return text;
        }
        String existing = shared.putIfAbsent(text, text);
        return existing == null ? text : existing;
    }

    /** A string or an array of strings, as a list without the null and empty entries. */
    private List<String> readStringOrArray(String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY) {
            List<String> values = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String value = readString(path + "[" + index++ + "]");
                if (value != null) {
                    values.add(value);
                }
            }
            return values;
        }
        String single = readString(path);
        return single == null ? List.of() : List.of(single);
    }

    private Long readRequiredCount(String path) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            problem(path, "missing");
            return null;
        }
        return readCount(path);
    }

    /** A non-negative integer, also when sent as a string of digits; null for null; else a problem. */
    private Long readCount(String path) throws IOException {
        JsonToken token = parser.currentToken();
        long value;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            try {
                value = parser.getLongValue();
            } catch (InputCoercionException tooBig) {
                problem(path, "count out of range: " + abbreviate(parser.getText()));
                return null;
            }
        } else if (token == JsonToken.VALUE_STRING && parser.getText().strip().matches("\\d{1,18}")) {
            value = Long.parseLong(parser.getText().strip());
        } else if (token == JsonToken.VALUE_NULL) {
            return null;
        } else {
            problem(path, "expected a non-negative integer, found " + describe(token));
            parser.skipChildren();
            return null;
        }
        if (value < 0) {
            problem(path, "expected a non-negative integer, found " + value);
            return null;
        }
        return value;
    }

    /** Microsoft sends TLSA records as one string holding a JSON array of strings. */
    private List<String> decodeJsonStringArray(String text) {
        try (JsonParser inner = factory.createParser(text)) {
            if (inner.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<String> values = new ArrayList<>();
            JsonToken token;
            while ((token = inner.nextToken()) == JsonToken.VALUE_STRING) {
                String value = inner.getText().strip();
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
            return token == JsonToken.END_ARRAY && inner.nextToken() == null ? values : null;
        } catch (IOException notAnArray) {
            return null;
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private boolean expectObject(String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return true;
        }
        problem(path, token == JsonToken.VALUE_NULL ? "missing" : "expected an object, found " + describe(token));
        parser.skipChildren();
        return false;
    }

    private void require(String value, String path) {
        if (value == null) {
            problem(path, "missing");
        }
    }

    private void problem(String path, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(path, message));
        }
    }

    private InvalidReportException notAReport(String path, String message) {
        return new InvalidReportException(Reason.NOT_A_REPORT, path, message);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
