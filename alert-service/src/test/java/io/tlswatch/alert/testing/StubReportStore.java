package io.tlswatch.alert.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tlswatch.tlsrpt.FailureDetail;
import io.tlswatch.tlsrpt.PolicyResult;
import io.tlswatch.tlsrpt.Samples;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * report-store's internal API on a dynamic port, in memory, with its rules implemented faithfully on the
 * {@link TestClock}: failure events and monotonic cursors; atomic claims refused while suppressed (7 days
 * after a sent alert), in flight (5-minute lease) or waiting for a failed send's retry (1 minute doubling to
 * 1 hour), taken over when the lease or retry time has passed; outcomes fenced by the claim token and
 * idempotent under it; alert contexts summarised from the reports. Tests register organisations and
 * domains and "receive" reports (real samples from ../shared/samples/tlsrpt, or built in the test), and
 * can make any route fail. One per test JVM.
 */
public class StubReportStore implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-internal-token";
    public static final Duration WINDOW = Duration.ofDays(7);
    public static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    private static final Duration MAX_RETRY = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static HttpServer server;
    private static int port;

    // The model; every change happens under LOCK, as report-store serialises a domain's claims.
    private static final Object LOCK = new Object();
    private static final Map<Long, Organisation> organisations = new HashMap<>();
    private static final Map<Long, Domain> domains = new HashMap<>();
    private static final List<Report> reports = new ArrayList<>();
    private static final Map<String, Long> cursors = new HashMap<>();
    private static final Map<Long, Alert> alerts = new LinkedHashMap<>();
    private static long nextId = 1;
    private static long nextXid = 700;

    // What tests can see and break.
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private static volatile Duration delay = Duration.ZERO;

    public record Organisation(long id, String name, List<String> recipients) {
    }

    public record Domain(long id, String name, long organisationId, boolean tlsReportingEnabled) {
    }

    record Report(long xid, long id, long domainId, TlsReport report, Instant receivedAt) {
        long failedSessions() {
            return report.totalFailureSessionCount();
        }
    }

    /** An alert as report-store keeps it. */
    public static final class Alert {
        public final long id;
        public final long domainId;
        public String status;
        public UUID token;
        public Instant claimedAt;
        public Instant leaseExpiresAt;
        public Instant sentAt;
        public Instant retryAt;
        public int attempts;
        public List<String> recipients;
        public String messageId;
        public String lastError;
        public Long failedSessions;

        Alert(long id, long domainId) {
            this.id = id;
            this.domainId = domainId;
        }
    }

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            port = server.getAddress().getPort();
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/internal/v1/", StubReportStore::handle);
            server.start();
        }
        // A new application (another test profile) starts with an empty store and the clock at its start.
        reset();
        TestClock.reset();
        return Map.of("quarkus.rest-client.report-store.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        // lives as long as the JVM, across Quarkus restarts for other test profiles
    }

    // ---- what tests do ----

    public static void reset() {
        synchronized (LOCK) {
            organisations.clear();
            domains.clear();
            reports.clear();
            cursors.clear();
            alerts.clear();
            requests.clear();
            failures.clear();
            delay = Duration.ZERO;
        }
    }

    public static long organisation(String name, String... recipients) {
        synchronized (LOCK) {
            long id = nextId++;
            organisations.put(id, new Organisation(id, name, new ArrayList<>(List.of(recipients))));
            return id;
        }
    }

    public static long domain(long organisationId, String name) {
        return domain(organisationId, name, true);
    }

    public static long domain(long organisationId, String name, boolean tlsReportingEnabled) {
        synchronized (LOCK) {
            long id = nextId++;
            domains.put(id, new Domain(id, name, organisationId, tlsReportingEnabled));
            return id;
        }
    }

    public static void addRecipient(long organisationId, String address) {
        synchronized (LOCK) {
            organisations.get(organisationId).recipients().add(address);
        }
    }

    /** A real sample report from ../shared/samples/tlsrpt, received now, with every policy claimed by the domain. */
    public static long receiveSample(String domain, String sample) {
        return receive(domain, TlsRptParser.withDefaults().parse(Samples.read(sample)));
    }

    /** A report received now (each in its own storing transaction), every policy claimed by the domain. */
    public static long receive(String domain, TlsReport report) {
        synchronized (LOCK) {
            Domain d = domains.values().stream().filter(x -> x.name().equals(domain)).findFirst().orElseThrow();
            long id = nextId++;
            reports.add(new Report(nextXid++, id, d.id(), report, TestClock.now()));
            return id;
        }
    }

    public static long cursor(String name) {
        synchronized (LOCK) {
            return cursors.getOrDefault(name, 0L);
        }
    }

    /** Alerts of one domain, oldest first (copies). */
    public static List<Alert> alerts(String domain) {
        synchronized (LOCK) {
            return alerts.values().stream()
                    .filter(a -> domains.get(a.domainId) != null && domains.get(a.domainId).name().equals(domain))
                    .map(StubReportStore::copy).toList();
        }
    }

    /** The next {@code times} requests whose "METHOD path" contains {@code fragment} answer 500. */
    public static void fail(String fragment, int times) {
        failures.put(fragment, new AtomicInteger(times));
    }

    /** Every answer waits this long first (a slow report-store). */
    public static void delay(Duration wait) {
        delay = wait;
    }

    /** "METHOD path" of every request so far. */
    public static List<String> requests() {
        return List.copyOf(requests);
    }

    // ---- the API ----

    private static final Pattern CURSOR = Pattern.compile("/internal/v1/cursors/([A-Za-z0-9._-]{1,100})");
    private static final Pattern OUTCOME = Pattern.compile("/internal/v1/alerts/(\\d+)/(sent|failed|no-recipients)");
    private static final Pattern CONTEXT = Pattern.compile("/internal/v1/domains/([^/]+)/alert-context");

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String call = method + " " + path;
            requests.add(call);
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problem(exchange, 401, Map.of("title", "Missing or wrong bearer token"));
                return;
            }
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            for (Map.Entry<String, AtomicInteger> failure : failures.entrySet()) {
                if (call.contains(failure.getKey()) && failure.getValue().getAndDecrement() > 0) {
                    problem(exchange, 500, Map.of("title", "Internal error"));
                    return;
                }
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            JsonNode body = "GET".equals(method) ? null : JSON.readTree(exchange.getRequestBody().readAllBytes());
            Matcher m;
            if ("GET".equals(method) && path.equals("/internal/v1/ping")) {
                send(exchange, 204, null);
            } else if ("GET".equals(method) && path.equals("/internal/v1/failure-events")) {
                send(exchange, 200, failureEvents(Long.parseLong(query.getOrDefault("after", "0")),
                        Integer.parseInt(query.getOrDefault("limit", "100"))));
            } else if ((m = CURSOR.matcher(path)).matches() && "GET".equals(method)) {
                send(exchange, 200, cursorView(m.group(1)));
            } else if ((m = CURSOR.matcher(path)).matches() && "PUT".equals(method)) {
                send(exchange, 200, advance(m.group(1), body.path("position").asLong()));
            } else if ("POST".equals(method) && path.equals("/internal/v1/alerts/claims")) {
                Answer answer = claim(body.path("domain-id").asLong());
                send(exchange, answer.status(), answer.body());
            } else if ((m = OUTCOME.matcher(path)).matches() && "POST".equals(method)) {
                Answer answer = outcome(Long.parseLong(m.group(1)), m.group(2), body);
                send(exchange, answer.status(), answer.body());
            } else if ((m = CONTEXT.matcher(path)).matches() && "GET".equals(method)) {
                Answer answer = context(Long.parseLong(m.group(1)), query.get("since"), query.get("until"));
                send(exchange, answer.status(), answer.body());
            } else {
                problem(exchange, 404, Map.of("title", "Not found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            e.printStackTrace();
            problem(exchange, 500, Map.of("title", "stub failed: " + e));
        }
    }

    private record Answer(int status, Object body) {
    }

    private static Map<String, Object> failureEvents(long after, int limit) {
        synchronized (LOCK) {
            List<Report> later = reports.stream().filter(r -> r.xid() > after).sorted(Comparator.comparing(Report::xid))
                    .toList();
            List<Report> alertable = later.stream().filter(StubReportStore::alertable).toList();
            boolean more = alertable.size() > limit;
            long next = more ? alertable.get(limit - 1).xid()
                    : later.isEmpty() ? after : later.get(later.size() - 1).xid();
            List<Map<String, Object>> events = new ArrayList<>();
            for (Report r : alertable) {
                if (r.xid() > next) {
                    break;
                }
                Domain d = domains.get(r.domainId());
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("xid", r.xid());
                event.put("domain", d.name());
                event.put("domain-id", d.id());
                event.put("organisation-id", d.organisationId());
                event.put("report", r.id());
                event.put("organization-name", r.report().organizationName());
                event.put("report-id", r.report().reportId());
                event.put("date-range", range(r.report().dateRange().start(), r.report().dateRange().end()));
                event.put("received-at", r.receivedAt());
                event.put("failed-sessions", r.failedSessions());
                events.add(event);
            }
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("events", events);
            page.put("next-cursor", next);
            page.put("more", more);
            page.put("oldest-pending-at", alertable.stream().map(Report::receivedAt).min(Comparator.naturalOrder())
                    .orElse(null));
            return page;
        }
    }

    private static boolean alertable(Report r) {
        Domain d = domains.get(r.domainId());
        return d != null && d.tlsReportingEnabled() && r.failedSessions() > 0;
    }

    private static Map<String, Object> cursorView(String name) {
        synchronized (LOCK) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", name);
            view.put("position", cursors.getOrDefault(name, 0L));
            view.put("updated-at", cursors.containsKey(name) ? TestClock.now() : null);
            return view;
        }
    }

    private static Map<String, Object> advance(String name, long position) {
        synchronized (LOCK) {
            cursors.merge(name, position, Math::max);
            return cursorView(name);
        }
    }

    private static Answer claim(long domainId) {
        synchronized (LOCK) {
            Instant now = TestClock.now();
            Domain domain = domains.get(domainId);
            if (domain == null) {
                return new Answer(404, problemBody(404, "Not found", null, null, null));
            }
            if (!domain.tlsReportingEnabled()) {
                return new Answer(409, problemBody(409, "TLS reporting off", "tls-reporting-off", null, null));
            }
            Instant lastSent = alerts.values().stream().filter(a -> a.domainId == domainId && "sent".equals(a.status))
                    .map(a -> a.sentAt).max(Comparator.naturalOrder()).orElse(null);
            if (lastSent != null && now.isBefore(lastSent.plus(WINDOW))) {
                return new Answer(409, problemBody(409, "Alert suppressed", "suppressed", "suppressed-until",
                        lastSent.plus(WINDOW)));
            }
            Alert open = alerts.values().stream().filter(a -> a.domainId == domainId
                    && ("claimed".equals(a.status) || "failed".equals(a.status))).findFirst().orElse(null);
            if (open == null) {
                open = new Alert(nextId++, domainId);
                alerts.put(open.id, open);
            } else if ("claimed".equals(open.status)) {
                if (now.isBefore(open.leaseExpiresAt)) {
                    return new Answer(409, problemBody(409, "Alert in flight", "in-flight", "in-flight-until",
                            open.leaseExpiresAt));
                }
                open.attempts++;
                open.lastError = "the claim's lease expired";
            } else if (open.retryAt != null && now.isBefore(open.retryAt)) {
                return new Answer(409, problemBody(409, "Alert retry pending", "retry-pending", "retry-at",
                        open.retryAt));
            }
            open.status = "claimed";
            open.token = UUID.randomUUID();
            open.claimedAt = now;
            open.leaseExpiresAt = now.plus(LEASE);
            open.retryAt = null;
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("alert-id", open.id);
            claim.put("claim", open.token.toString());
            claim.put("domain", domain.name());
            claim.put("domain-id", domain.id());
            claim.put("organisation-id", domain.organisationId());
            claim.put("claimed-at", now);
            claim.put("lease-expires-at", open.leaseExpiresAt);
            claim.put("attempts", open.attempts);
            return new Answer(201, claim);
        }
    }

    private static Answer outcome(long alertId, String outcome, JsonNode body) {
        synchronized (LOCK) {
            Instant now = TestClock.now();
            Alert alert = alerts.get(alertId);
            if (alert == null) {
                return new Answer(404, problemBody(404, "Not found", null, null, null));
            }
            String claimText = body.path("claim").asText("");
            if ("sent".equals(outcome) && (!body.path("recipients").isArray() || body.path("recipients").isEmpty())) {
                return new Answer(400, problemBody(400, "recipients missing", null, null, null));
            }
            if ("failed".equals(outcome) && body.path("error").asText("").isBlank()) {
                return new Answer(400, problemBody(400, "error missing", null, null, null));
            }
            boolean holder = alert.token != null && alert.token.toString().equals(claimText);
            if (holder && outcome.equals(alert.status)) {
                return new Answer(200, view(alert)); // the same outcome again: a retried request
            }
            if (!holder || !"claimed".equals(alert.status)) {
                return new Answer(409, problemBody(409, "Claim not held", "claim-not-held", null, null));
            }
            switch (outcome) {
                case "sent" -> {
                    alert.status = "sent";
                    alert.sentAt = now;
                    List<String> recipients = new ArrayList<>();
                    body.path("recipients").forEach(r -> recipients.add(r.asText()));
                    alert.recipients = recipients;
                    alert.messageId = body.path("message-id").asText(null);
                    alert.failedSessions = body.hasNonNull("failed-sessions") ? body.get("failed-sessions").asLong()
                            : alert.failedSessions;
                }
                case "failed" -> {
                    long backoff = Math.min(MAX_RETRY.toSeconds(),
                            FIRST_RETRY.toSeconds() * (1L << Math.min(alert.attempts, 30)));
                    alert.status = "failed";
                    alert.lastError = body.path("error").asText();
                    alert.retryAt = body.hasNonNull("retry-at")
                            ? OffsetDateTime.parse(body.get("retry-at").asText()).toInstant()
                            : now.plusSeconds(backoff);
                    alert.attempts++;
                }
                default -> {
                    alert.status = "no-recipients";
                    alert.failedSessions = body.hasNonNull("failed-sessions") ? body.get("failed-sessions").asLong()
                            : alert.failedSessions;
                }
            }
            return new Answer(200, view(alert));
        }
    }

    private static Answer context(long domainId, String sinceText, String untilText) {
        synchronized (LOCK) {
            Domain domain = domains.get(domainId);
            if (domain == null) {
                return new Answer(404, problemBody(404, "Not found", null, null, null));
            }
            Instant until = untilText == null ? TestClock.now() : OffsetDateTime.parse(untilText).toInstant();
            Instant since = sinceText == null ? until.minus(WINDOW) : OffsetDateTime.parse(sinceText).toInstant();
            List<Report> covered = reports.stream().filter(r -> r.domainId() == domainId)
                    .filter(r -> !r.report().dateRange().start().isBefore(since)
                            && r.report().dateRange().start().isBefore(until))
                    .toList();
            Organisation organisation = organisations.get(domain.organisationId());
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("domain", Map.of("id", domain.id(), "name", domain.name(),
                    "tls-reporting-enabled", domain.tlsReportingEnabled()));
            context.put("organisation", Map.of("id", organisation.id(), "name", organisation.name()));
            context.put("recipients", List.copyOf(organisation.recipients()));
            context.put("summary", summary(covered, since, until));
            return new Answer(200, context);
        }
    }

    /** The summary as report-store's AlertContextService builds it: counts from summaries, breakdowns from details. */
    private static Map<String, Object> summary(List<Report> covered, Instant since, Instant until) {
        long successful = 0;
        long failed = 0;
        Instant start = null;
        Instant end = null;
        Map<String, long[]> types = new LinkedHashMap<>();
        Map<String, long[]> mx = new LinkedHashMap<>();
        Map<String, long[]> ips = new LinkedHashMap<>();
        Map<String, long[]> reporters = new LinkedHashMap<>();
        Map<List<Object>, long[]> policies = new LinkedHashMap<>();
        for (Report r : covered) {
            TlsReport report = r.report();
            start = start == null || report.dateRange().start().isBefore(start) ? report.dateRange().start() : start;
            end = end == null || report.dateRange().end().isAfter(end) ? report.dateRange().end() : end;
            successful += report.totalSuccessfulSessionCount();
            failed += report.totalFailureSessionCount();
            long[] reporter = reporters.computeIfAbsent(report.organizationName(), k -> new long[2]);
            reporter[0]++;
            reporter[1] += report.totalFailureSessionCount();
            for (PolicyResult policy : report.policies()) {
                List<Object> key = List.of(policy.policy().policyType().wireName(),
                        Objects.requireNonNullElse(policy.policy().policyDomain(), ""),
                        policy.policy().policyString(), policy.policy().mxHost());
                long[] p = policies.computeIfAbsent(key, k -> new long[2]);
                p[0]++;
                p[1] += policy.summary().totalFailureSessionCount();
                for (FailureDetail detail : policy.failureDetails()) {
                    long count = detail.failedSessionCount() == null ? 0 : detail.failedSessionCount();
                    types.computeIfAbsent(detail.resultType(), k -> new long[1])[0] += count;
                    if (detail.receivingMxHostname() != null) {
                        String host = detail.receivingMxHostname().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
                        mx.computeIfAbsent(host, k -> new long[1])[0] += count;
                    }
                    if (detail.receivingIp() != null) {
                        ips.computeIfAbsent(detail.receivingIp(), k -> new long[1])[0] += count;
                    }
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("since", since);
        summary.put("until", until);
        summary.put("reports", covered.size());
        summary.put("successful-sessions", successful);
        summary.put("failed-sessions", failed);
        summary.put("date-range", start == null ? null : range(start, end));
        summary.put("result-types", top(types, (k, v) -> Map.of("result-type", k, "failed-sessions", v[0])));
        summary.put("receiving-mx-hostnames", top(mx, (k, v) -> Map.of("hostname", k, "failed-sessions", v[0])));
        summary.put("receiving-ips", top(ips, (k, v) -> Map.of("ip", k, "failed-sessions", v[0])));
        summary.put("reporters", top(reporters, (k, v) -> Map.of("organization-name", k, "reports", v[0],
                "failed-sessions", v[1])));
        List<Map<String, Object>> policyList = new ArrayList<>();
        policies.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(50)
                .forEach(e -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("policy-type", e.getKey().get(0));
                    p.put("policy-domain", e.getKey().get(1));
                    p.put("policy-string", e.getKey().get(2));
                    p.put("mx-host", e.getKey().get(3));
                    p.put("reports", e.getValue()[0]);
                    p.put("failed-sessions", e.getValue()[1]);
                    policyList.add(p);
                });
        summary.put("policies", policyList);
        return summary;
    }

    private static <K> List<Map<String, Object>> top(Map<K, long[]> counts,
            java.util.function.BiFunction<K, long[], Map<String, Object>> view) {
        Function<Map.Entry<K, long[]>, Long> failed = e -> e.getValue()[e.getValue().length - 1];
        return counts.entrySet().stream().sorted((a, b) -> Long.compare(failed.apply(b), failed.apply(a))).limit(50)
                .map(e -> view.apply(e.getKey(), e.getValue())).toList();
    }

    private static Map<String, Object> range(Instant start, Instant end) {
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("start-datetime", start);
        range.put("end-datetime", end);
        return range;
    }

    private static Map<String, Object> view(Alert a) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", a.id);
        view.put("domain", domains.get(a.domainId).name());
        view.put("domain-id", a.domainId);
        view.put("status", a.status);
        view.put("claimed-at", a.claimedAt);
        view.put("lease-expires-at", a.leaseExpiresAt);
        view.put("sent-at", a.sentAt);
        view.put("suppressed-until", "sent".equals(a.status) ? a.sentAt.plus(WINDOW) : null);
        view.put("recipients", a.recipients);
        view.put("message-id", a.messageId);
        view.put("attempts", a.attempts);
        view.put("retry-at", a.retryAt);
        view.put("last-error", a.lastError);
        view.put("failed-sessions", a.failedSessions);
        return view;
    }

    private static Alert copy(Alert a) {
        Alert c = new Alert(a.id, a.domainId);
        c.status = a.status;
        c.token = a.token;
        c.claimedAt = a.claimedAt;
        c.leaseExpiresAt = a.leaseExpiresAt;
        c.sentAt = a.sentAt;
        c.retryAt = a.retryAt;
        c.attempts = a.attempts;
        c.recipients = a.recipients == null ? null : List.copyOf(a.recipients);
        c.messageId = a.messageId;
        c.lastError = a.lastError;
        c.failedSessions = a.failedSessions;
        return c;
    }

    private static Map<String, Object> problemBody(int status, String title, String reason, String untilField,
            Instant until) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", title);
        if (reason != null) {
            problem.put("reason", reason);
        }
        if (untilField != null) {
            problem.put(untilField, until);
        }
        return problem;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void problem(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        if (status >= 400) {
            problem(exchange, status, castMap(body));
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object body) {
        return (Map<String, Object>) body;
    }
}
