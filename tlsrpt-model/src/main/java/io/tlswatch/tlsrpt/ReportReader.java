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
import java.util.List;
import java.util.Locale;

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
 *       {@code result-type}; a count that is not a non-negative integer; a field we read that is
 *       sent twice in one object (I-JSON forbids it, and which one would we believe?).</li>
 *   <li>Forgiven: date-times without a zone (UTC); {@code mx-host} (or {@code mx-host-pattern}) as a
 *       string, or with {@code mx: } prefixes; {@code policy-string} as one string holding a JSON
 *       array; {@code additional-info-uri}; missing or null {@code contact-info},
 *       {@code policy-string}, {@code policy-domain}, {@code failure-details} and detail fields;
 *       empty strings (read as absent); counts sent as digit strings; unknown fields (ignored) and
 *       unknown result types (kept as sent). Counts that disagree are kept as sent.</li>
 * </ul>
 *
 * Every problem found is collected with its path, so one error names all of them. Paths are only
 * turned into text for a problem: on the hot path a failure detail costs one small object for its
 * position, and once details repeat, their values come from a {@link StringCache} without a new String.
 */
final class ReportReader {

    private static final int MAX_PROBLEMS = 20;

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter(Locale.ROOT);

    /** A position in the document; its text is built only when a problem is reported there. */
    private record Where(Where parent, String field, int index) {
        static final Where ROOT = new Where(null, null, -1);

        Where at(String name) {
            return new Where(this, name, -1);
        }

        Where at(int position) {
            return new Where(this, null, position);
        }

        String text(String leaf) {
            StringBuilder path = new StringBuilder();
            append(path);
            if (leaf != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(leaf);
            }
            return path.toString();
        }

        private void append(StringBuilder path) {
            if (parent == null) {
                return;
            }
            parent.append(path);
            if (field != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(field);
            } else {
                path.append('[').append(index).append(']');
            }
        }
    }

    private final JsonParser parser;
    private final JsonFactory factory;
    private final List<Problem> problems = new ArrayList<>();
    private final StringCache strings = new StringCache();
    /** Values start repeating across failure details; before this many, sharing costs more than it saves. */
    private static final int SHARE_AFTER_DETAILS = 16;
    private int detailsRead;
    private int policiesSent = -1;

    ReportReader(JsonParser parser, JsonFactory factory) {
        this.parser = parser;
        this.factory = factory;
    }

    TlsReport read() throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new InvalidReportException(Reason.NOT_A_REPORT, "",
                    "top level must be a JSON object, found " + describe(first));
        }
        Where root = Where.ROOT;
        String organization = null;
        String contact = null;
        String reportId = null;
        DateRange dateRange = null;
        List<PolicyResult> policies = null;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "organization-name" -> {
                    seen = once(seen, 1, root, name);
                    organization = readString(root, name);
                }
                case "contact-info" -> {
                    seen = once(seen, 2, root, name);
                    contact = readString(root, name);
                }
                case "report-id" -> {
                    seen = once(seen, 4, root, name);
                    reportId = readString(root, name);
                }
                case "date-range" -> {
                    seen = once(seen, 8, root, name);
                    dateRange = readDateRange(root.at(name));
                }
                case "policies" -> {
                    seen = once(seen, 16, root, name);
                    policies = readPolicies(root, name);
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            problem(root, null, "unexpected content after the report object");
        }
        require(organization, root, "organization-name");
        require(reportId, root, "report-id");
        if ((seen & 8) == 0) {
            problem(root, "date-range", "missing");
        }
        if ((seen & 16) == 0) {
            problem(root, "policies", "missing");
        } else if (policiesSent == 0) {
            problem(root, "policies", "empty: a report must describe at least one policy");
        }
        if (!problems.isEmpty()) {
            throw new InvalidReportException(Reason.NOT_A_REPORT, problems);
        }
        return new TlsReport(organization, dateRange, contact, reportId, policies);
    }

    private DateRange readDateRange(Where where) throws IOException {
        if (!expectObject(where)) {
            return null;
        }
        Instant start = null;
        Instant end = null;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "start-datetime" -> {
                    seen = once(seen, 1, where, name);
                    start = readDateTime(where, name);
                }
                case "end-datetime" -> {
                    seen = once(seen, 2, where, name);
                    end = readDateTime(where, name);
                }
                default -> parser.skipChildren();
            }
        }
        if ((seen & 1) == 0) {
            problem(where, "start-datetime", "missing");
        }
        if ((seen & 2) == 0) {
            problem(where, "end-datetime", "missing");
        }
        if (start != null && end != null && end.isBefore(start)) {
            problem(where, null, "end-datetime " + end + " is before start-datetime " + start);
        }
        return start == null || end == null ? null : new DateRange(start, end);
    }

    private Instant readDateTime(Where where, String name) throws IOException {
        String text = readString(where, name);
        if (text == null) {
            problem(where, name, "missing");
            return null;
        }
        Instant common = parseUtcSeconds(text);
        if (common != null) {
            return common;
        }
        try {
            TemporalAccessor parsed = DATE_TIME.parse(text);
            LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed), LocalTime.from(parsed));
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))
                    : ZoneOffset.UTC; // Microsoft sends no zone; RFC 8460 means UTC.
            return local.toInstant(offset);
        } catch (DateTimeException e) { // parse errors and impossible dates such as 2024-02-30
            problem(where, name, "not an RFC 3339 date-time: \"" + abbreviate(text) + "\"");
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ}, what nearly every sender writes, without the general formatter. */
    private static Instant parseUtcSeconds(String text) {
        if (text.length() != 20 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || (text.charAt(10) != 'T' && text.charAt(10) != 't') || text.charAt(13) != ':'
                || text.charAt(16) != ':' || (text.charAt(19) != 'Z' && text.charAt(19) != 'z')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException impossible) {
            return null; // the general formatter reports it
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private List<PolicyResult> readPolicies(Where parent, String name) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            problem(parent, name, "missing");
            return null;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            problem(parent, name, "expected an array, found " + describe(parser.currentToken()));
            parser.skipChildren();
            return null;
        }
        Where where = parent.at(name);
        List<PolicyResult> policies = new ArrayList<>();
        policiesSent = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            PolicyResult policy = readPolicyResult(where.at(policiesSent++));
            if (policy != null) {
                policies.add(policy);
            }
        }
        return policies;
    }

    private PolicyResult readPolicyResult(Where where) throws IOException {
        if (!expectObject(where)) {
            return null;
        }
        Policy policy = null;
        Summary summary = null;
        List<FailureDetail> details = List.of();
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "policy" -> {
                    seen = once(seen, 1, where, name);
                    policy = readPolicy(where.at(name));
                }
                case "summary" -> {
                    seen = once(seen, 2, where, name);
                    summary = readSummary(where.at(name));
                }
                case "failure-details" -> {
                    seen = once(seen, 4, where, name);
                    details = readFailureDetails(where, name);
                }
                default -> parser.skipChildren();
            }
        }
        if ((seen & 1) == 0) {
            problem(where, "policy", "missing");
        }
        if ((seen & 2) == 0) {
            problem(where, "summary", "missing");
        }
        return policy == null || summary == null ? null : new PolicyResult(policy, summary, details);
    }

    private Policy readPolicy(Where where) throws IOException {
        if (!expectObject(where)) {
            return null;
        }
        PolicyType type = null;
        List<String> policyStrings = List.of();
        String domain = null;
        List<String> mxHosts = List.of();
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "policy-type" -> {
                    seen = once(seen, 1, where, name);
                    type = readPolicyType(where, name);
                }
                case "policy-string" -> {
                    seen = once(seen, 2, where, name);
                    policyStrings = readPolicyStrings(where, name);
                }
                case "policy-domain" -> {
                    seen = once(seen, 4, where, name);
                    domain = DomainNames.normalise(readString(where, name));
                }
                // "mx-host-pattern" is the name RFC 8460's own prose uses (§4.4) for the same field.
                case "mx-host", "mx-host-pattern" -> {
                    seen = once(seen, 8, where, name);
                    mxHosts = readMxHosts(where, name);
                }
                default -> parser.skipChildren();
            }
        }
        if ((seen & 1) == 0) {
            problem(where, "policy-type", "missing");
        }
        return type == null ? null : new Policy(type, policyStrings, domain, mxHosts);
    }

    private PolicyType readPolicyType(Where where, String name) throws IOException {
        String text = readString(where, name);
        if (text == null) {
            problem(where, name, "missing");
            return null;
        }
        return PolicyType.fromWire(text).orElseGet(() -> {
            problem(where, name, "unknown value \"" + abbreviate(text) + "\" (expected sts, tlsa or no-policy-found)");
            return null;
        });
    }

    /** An array of strings; or one string; either may hold a JSON-encoded array (Microsoft's TLSA). */
    private List<String> readPolicyStrings(Where where, String name) throws IOException {
        List<String> raw = readStringOrArray(where, name);
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

    private List<String> readMxHosts(Where where, String name) throws IOException {
        List<String> raw = readStringOrArray(where, name);
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

    private Summary readSummary(Where where) throws IOException {
        if (!expectObject(where)) {
            return null;
        }
        Long successful = null;
        Long failed = null;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "total-successful-session-count" -> {
                    seen = once(seen, 1, where, name);
                    successful = readRequiredCount(where, name);
                }
                case "total-failure-session-count" -> {
                    seen = once(seen, 2, where, name);
                    failed = readRequiredCount(where, name);
                }
                default -> parser.skipChildren();
            }
        }
        if ((seen & 1) == 0) {
            problem(where, "total-successful-session-count", "missing");
        }
        if ((seen & 2) == 0) {
            problem(where, "total-failure-session-count", "missing");
        }
        return successful == null || failed == null ? null : new Summary(successful, failed);
    }

    private List<FailureDetail> readFailureDetails(Where parent, String name) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            problem(parent, name, "expected an array, found " + describe(parser.currentToken()));
            parser.skipChildren();
            return List.of();
        }
        Where where = parent.at(name);
        List<FailureDetail> details = new ArrayList<>();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            FailureDetail detail = readFailureDetail(where, index++);
            if (detail != null) {
                details.add(detail);
            }
        }
        return details;
    }

    private FailureDetail readFailureDetail(Where array, int index) throws IOException {
        detailsRead++;
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            expectObject(array.at(index));
            return null;
        }
        Where where = null; // built only if a problem needs it
        String resultType = null;
        String sendingIp = null;
        String mxHostname = null;
        String mxHelo = null;
        String receivingIp = null;
        Long count = null;
        String additional = null;
        String reasonCode = null;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            int bit = switch (name) {
                case "result-type" -> 1;
                case "sending-mta-ip" -> 2;
                case "receiving-mx-hostname" -> 4;
                case "receiving-mx-helo" -> 8;
                case "receiving-ip" -> 16;
                case "failed-session-count" -> 32;
                // RFC 8460's §4.4 prose says "additional-info-uri"; its schema says "additional-information".
                case "additional-information", "additional-info-uri" -> 64;
                case "failure-reason-code" -> 128;
                default -> 0;
            };
            if (bit == 0) {
                parser.skipChildren();
                continue;
            }
            if (where == null) {
                where = array.at(index);
            }
            seen = once(seen, bit, where, name);
            switch (bit) {
                case 1 -> resultType = readString(where, name);
                case 2 -> sendingIp = readString(where, name);
                case 4 -> mxHostname = DomainNames.normalise(readString(where, name));
                case 8 -> mxHelo = readString(where, name);
                case 16 -> receivingIp = readString(where, name);
                case 32 -> count = readCount(where, name);
                case 64 -> additional = readString(where, name);
                default -> reasonCode = readString(where, name);
            }
        }
        if (resultType == null) {
            problem(array.at(index), "result-type", "missing");
            return null;
        }
        return new FailureDetail(resultType, sendingIp, mxHostname, mxHelo, receivingIp, count, additional,
                reasonCode);
    }

    // --- scalar readers -------------------------------------------------------------------------

    /** A string, or null for null, an empty string or a missing value; numbers and booleans as text. */
    private String readString(Where where, String name) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case VALUE_STRING -> {
                return detailsRead > SHARE_AFTER_DETAILS
                        ? strings.get(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())
                        : StringCache.trimmed(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return parser.getText();
            }
            default -> {
                problem(where, name, "expected a string, found " + describe(token));
                parser.skipChildren();
                return null;
            }
        }
    }

    /** A string or an array of strings, as a list without the null and empty entries. */
    private List<String> readStringOrArray(Where where, String name) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY) {
            Where array = where.at(name);
            List<String> values = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonToken element = parser.currentToken();
                String value = element == JsonToken.START_OBJECT || element == JsonToken.START_ARRAY
                        ? readString(array.at(index), null) : readString(array, null);
                index++;
                if (value != null) {
                    values.add(value);
                }
            }
            return values;
        }
        String single = readString(where, name);
        return single == null ? List.of() : List.of(single);
    }

    private Long readRequiredCount(Where where, String name) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            problem(where, name, "missing");
            return null;
        }
        return readCount(where, name);
    }

    /** A non-negative integer, also when sent as a string of digits; null for null; else a problem. */
    private Long readCount(Where where, String name) throws IOException {
        JsonToken token = parser.currentToken();
        long value;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            try {
                value = parser.getLongValue();
            } catch (InputCoercionException tooBig) {
                problem(where, name, "count out of range: " + abbreviate(parser.getText()));
                return null;
            }
        } else if (token == JsonToken.VALUE_STRING && parser.getText().strip().matches("\\d{1,18}")) {
            value = Long.parseLong(parser.getText().strip());
        } else if (token == JsonToken.VALUE_NULL) {
            return null;
        } else {
            problem(where, name, "expected a non-negative integer, found " + describe(token));
            parser.skipChildren();
            return null;
        }
        if (value < 0) {
            problem(where, name, "expected a non-negative integer, found " + value);
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

    /** Marks a known field as seen in its object; the second time is a problem. */
    private int once(int seen, int bit, Where where, String name) {
        if ((seen & bit) != 0) {
            problem(where, name, "sent twice in one object");
        }
        return seen | bit;
    }

    private boolean expectObject(Where where) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return true;
        }
        problem(where, null, token == JsonToken.VALUE_NULL ? "missing" : "expected an object, found " + describe(token));
        parser.skipChildren();
        return false;
    }

    private void require(String value, Where where, String name) {
        if (value == null) {
            problem(where, name, "missing");
        }
    }

    private void problem(Where where, String name, String message) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(where.text(name), message));
        }
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
