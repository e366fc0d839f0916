package io.tlswatch.store.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tlswatch.store.alert.Fixtures;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.store.testing.Sql;
import io.tlswatch.tlsrpt.hints.LikelyCauses;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** What each page shows, read from the HTML the server renders for a signed-in admin. */
@QuarkusTest
class DashboardPagesTest {

    /** A registered domain of a new organisation; answers the organisation's id. */
    static long organisationWith(String domain) {
        long organisation = Fixtures.organisation("Org of " + domain);
        Fixtures.domain(organisation, domain, true);
        return organisation;
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void theOverviewListsFailingDomainsFirstWithTheirCounts() {
        String failing = "zz-" + Fixtures.uniqueDomain();   // sorts last by name: only its state puts it first
        String healthy = "aa-" + Fixtures.uniqueDomain();
        String quiet = "ab-" + Fixtures.uniqueDomain();
        organisationWith(failing);
        organisationWith(healthy);
        organisationWith(quiet);
        Reports.store(Reports.daily("Google", id(), failing, 1, 90, 7, "certificate-expired", "mx1." + failing));
        Reports.store(Reports.daily("Google", id(), failing, 20, 10, 5, "certificate-expired", "mx1." + failing));
        Reports.store(Reports.daily("Google", id(), healthy, 1, 50, 0, null, "mx1." + healthy));

        Document page = SignedIn.admin().page("/");
        List<Element> rows = page.select("#domains tbody tr");
        List<String> names = rows.stream().map(r -> r.selectFirst("th").text()).toList();
        List<String> states = rows.stream().map(r -> r.attr("data-state")).toList();
        assertThat(names.indexOf(failing)).isGreaterThanOrEqualTo(0).isLessThan(names.indexOf(healthy));
        int lastFailing = states.lastIndexOf("failing");
        assertThat(states.subList(0, lastFailing + 1)).containsOnly("failing");

        Element row = rows.get(names.indexOf(failing));
        assertThat(row.select("td").eachText()).startsWith("Failing", "7", "90", "12", "100");
        assertThat(rows.get(names.indexOf(healthy)).select("td").eachText()).startsWith("Healthy", "0", "50");
        assertThat(rows.get(names.indexOf(quiet)).select("td").eachText()).startsWith("No reports yet", "0", "0");
        assertThat(row.selectFirst("a").attr("href")).isEqualTo("/domains/" + failing);
    }

    @Test
    void unclaimedReportsAreCountedAndAnAdminClaimsTheirDomain() {
        String unclaimed = Fixtures.uniqueDomain();
        Reports.store(Reports.daily("Microsoft", id(), unclaimed, 2, 10, 3, "starttls-not-supported", "mx." + unclaimed));
        Reports.store(Reports.daily("Google", id(), unclaimed, 1, 10, 0, null, "mx." + unclaimed));
        long organisation = Fixtures.organisation("Claimer " + unclaimed);

        SignedIn admin = SignedIn.admin();
        Document page = admin.page("/");
        Element row = page.select("table.unclaimed tbody tr").stream()
                .filter(r -> r.selectFirst("th").text().equals(unclaimed)).findFirst().orElseThrow();
        assertThat(row.select("td").eachText()).startsWith("2", "3");
        assertThat(row.select("form[action=/claims] option").eachAttr("value")).contains(String.valueOf(organisation));

        Response claimed = admin.post("/claims", Map.of("domain", unclaimed, "organisation", String.valueOf(organisation)));
        assertThat(claimed.statusCode()).isEqualTo(303);
        assertThat(claimed.header("Location")).endsWith("/domains/" + unclaimed);
        Document domain = admin.page("/domains/" + unclaimed);
        assertThat(domain.selectFirst("#by-result-type").text()).contains("starttls-not-supported");
        assertThat(admin.page("/").select("table.unclaimed th").eachText()).doesNotContain(unclaimed);
    }

    @Test
    void claimingADomainAnotherOrganisationOwnsShowsWhy() {
        String owned = Fixtures.uniqueDomain();
        organisationWith(owned);
        long other = Fixtures.organisation("Other " + owned);
        SignedIn admin = SignedIn.admin();
        admin.page("/");
        Response refused = admin.post("/claims", Map.of("domain", owned, "organisation", String.valueOf(other)));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(refused.asString()).selectFirst("[role=alert]").text())
                .isEqualTo(owned + " is already registered");
    }

    @Test
    void theDomainPageShowsChartBreakdownsPolicyCausesAlertsAndRecord() {
        String domain = Fixtures.uniqueDomain();
        long organisation = organisationWith(domain);
        String policyMx = "mx1." + domain;
        // Senders saw a policy naming mx1, but failed on a new MX host the policy does not list.
        Reports.store(Reports.daily("Google", id(), domain, 3, 200, 0, null, policyMx));
        byte[] failing = new String(Reports.daily("Google", id(), domain, 1, 40, 9, "certificate-expired", policyMx),
                StandardCharsets.UTF_8).replace("\"receiving-mx-hostname\": \"" + policyMx + "\"",
                "\"receiving-mx-hostname\": \"mx.newhost.example\"").getBytes(StandardCharsets.UTF_8);
        Reports.store(failing);
        long domainId = (Long) Sql.query("select id from domain where name = ?", domain);
        Sql.query("insert into alert (domain_id, status, claimed_at, lease_expires_at, sent_at, recipients, "
                + "failed_sessions) values (?, 'sent', now() - interval '1 hour', now(), now() - interval '1 hour', "
                + "array['ops@example.net'], 9) returning id", domainId);

        Document page = SignedIn.admin().page("/domains/" + domain);
        assertThat(page.selectFirst("h1").text()).contains(domain).contains("Failing");
        Element chart = page.selectFirst("svg#sessions-chart");
        assertThat(chart).isNotNull();
        assertThat(chart.select("rect.fail")).hasSize(1);
        assertThat(chart.select("rect.ok")).hasSize(2);
        assertThat(chart.select("g.day")).hasSize(31);
        assertThat(chart.select("g.day > title").eachText()).anyMatch(t -> t.endsWith(": 40 successful, 9 failed sessions"));

        assertThat(page.select("#by-result-type tbody tr").eachText()).containsExactly("certificate-expired 9");
        assertThat(page.select("#by-receiving-ip tbody tr").eachText()).containsExactly("198.51.100.25 9");
        assertThat(page.select("#by-mx-host tbody tr").eachText()).containsExactly("mx.newhost.example 9 no");
        assertThat(page.select("#by-reporter tbody tr").eachText()).containsExactly("Google 2 240 9");
        assertThat(page.selectFirst("#policy .policy-string").text()).contains("mode: enforce").contains("mx: " + policyMx);

        String causes = page.selectFirst("#likely-causes").text();
        assertThat(causes).contains(LikelyCauses.explain("certificate-expired", domain).likelyCause());
        assertThat(causes).contains(LikelyCauses.mxNotInPolicy(domain, List.of("mx.newhost.example"),
                List.of(policyMx)).orElseThrow());

        assertThat(page.selectFirst("#alerts tbody tr").text()).contains("sent").contains("ops@example.net");
        assertThat(page.selectFirst("#dns-record pre").text()).isEqualTo("_smtp._tls." + domain
                + ". IN TXT \"v=TLSRPTv1; rua=https://tlsrpt.example.net/v1/tlsrpt,mailto:tlsrpt@tlsrpt.example.net\"");
        assertThat(organisation).isPositive();
    }

    @Test
    void aDomainNoOneRegisteredIsNotFound() {
        Response response = SignedIn.admin().get("/domains/" + Fixtures.uniqueDomain());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.asString()).contains("is not registered");
    }

    @Test
    void theReportListFiltersAndTheReportPageShowsEverythingWithTheRawPayload() {
        String domain = Fixtures.uniqueDomain();
        organisationWith(domain);
        String reportId = "list-" + id();
        byte[] payload = Reports.daily("Mail.ru", reportId, domain, 2, 30, 4, "sts-policy-fetch-error", "mx." + domain);
        long id = Reports.store(payload);
        Reports.store(Reports.daily("Google", id(), Fixtures.uniqueDomain(), 2, 30, 0, null, "mx.other.example"));

        SignedIn admin = SignedIn.admin();
        Document list = admin.page("/reports?domain=" + domain);
        assertThat(list.select("#reports tbody tr")).hasSize(1);
        assertThat(list.selectFirst("#reports tbody tr").text()).contains("Mail.ru").contains(reportId).contains(domain);
        assertThat(list.selectFirst("input[name=domain]").attr("value")).isEqualTo(domain);
        assertThat(admin.page("/reports?domain=" + domain + "&from=2000-01-01&to=2000-01-02").select("#reports")).isEmpty();
        assertThat(admin.get("/reports?from=not-a-day").statusCode()).isEqualTo(400);

        Document report = admin.page("/reports/" + id);
        assertThat(report.selectFirst("h1").text()).isEqualTo("Report from Mail.ru");
        assertThat(report.select("#policies tbody tr").text()).contains("sts").contains(domain).contains("30").contains("4");
        assertThat(report.select("#details tbody tr").eachText())
                .containsExactly("1 sts-policy-fetch-error mx." + domain + " 198.51.100.25 192.0.2.10 4");
        String raw = report.selectFirst("#raw-json").wholeText();
        assertThat(raw).contains("\"report-id\" : \"" + reportId + "\"");
        assertThat(raw.lines().count()).isGreaterThan(10);
        assertThat(report.selectFirst("#raw").text()).contains(payload.length + " bytes, exactly as the sender delivered it");

        Response download = admin.get("/reports/" + id + "/raw");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("Content-Disposition")).contains("attachment");
        assertThat(download.asByteArray()).isEqualTo(payload);
        assertThat(admin.get("/reports/999999999").statusCode()).isEqualTo(404);
    }

    @Test
    void settingsAddDomainsAndAddressesAndWarnOfAnInBandOne() {
        String domain = Fixtures.uniqueDomain();
        String name = "Settings " + id();
        SignedIn admin = SignedIn.admin();
        admin.page("/settings");
        assertThat(admin.post("/settings/organisations", Map.of("name", name)).statusCode()).isEqualTo(303);
        long organisation = (Long) Sql.query("select id from organisation where name = ?", name);
        String section = "#org-" + organisation;

        admin.page("/settings");
        Response added = admin.post("/settings/organisations/" + organisation + "/domains", Map.of("name", domain));
        assertThat(added.statusCode()).isEqualTo(303);
        assertThat(added.header("Location")).endsWith("/settings#org-" + organisation);
        admin.post("/settings/organisations/" + organisation + "/recipients", Map.of("address", "alerts@" + domain));
        admin.post("/settings/organisations/" + organisation + "/recipients", Map.of("address", "ops@elsewhere.example"));

        Document page = admin.page("/settings");
        Element org = page.selectFirst(section);
        assertThat(org.selectFirst("h2").text()).isEqualTo(name);
        assertThat(org.select("ul.rows a").eachText()).containsExactly(domain);
        List<Element> recipients = org.select("ul.recipients li");
        assertThat(recipients).hasSize(2);
        assertThat(recipients.get(0).selectFirst(".in-band").text()).isEqualTo("In-band address. alerts@" + domain
                + " is in-band: " + domain + " is monitored, and if its TLS fails this alert may not be delivered "
                + "either. Use an out-of-band address, e.g. one at " + domain.substring(0, domain.indexOf('.'))
                + ".onmicrosoft.com");
        assertThat(recipients.get(1).select(".in-band")).isEmpty();

        admin.post("/settings/organisations/" + organisation + "/domains/" + domain + "/reporting", Map.of("enabled", "false"));
        assertThat(Sql.query("select tls_reporting_enabled from domain where name = ?", domain)).isEqualTo(false);
        assertThat(admin.page("/settings").selectFirst(section).text()).contains("TLS reporting off");

        Response bad = admin.post("/settings/organisations/" + organisation + "/recipients", Map.of("address", "not an address"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(bad.asString()).selectFirst("#form-error").text()).contains("is not a valid e-mail address");

        admin.page("/settings");
        admin.post("/settings/organisations/" + organisation + "/domains/" + domain + "/delete", Map.of());
        assertThat(Sql.query("select count(*) from domain where name = ?", domain)).isEqualTo(0L);
    }

    @Test
    void anAdminAddsAViewerWhoCanSignIn() {
        String name = "new-viewer-" + id();
        SignedIn admin = SignedIn.admin();
        admin.page("/settings");
        assertThat(admin.post("/settings/users", Map.of("username", name, "password", "short", "role", "viewer"))
                .statusCode()).isEqualTo(400);
        assertThat(admin.post("/settings/users", Map.of("username", name, "password", "a-long-password", "role",
                "viewer")).statusCode()).isEqualTo(303);
        assertThat((String) Sql.query("select password from dashboard_user where username = ?", name)).startsWith("$2");
        SignedIn viewer = SignedIn.as(name, "a-long-password");
        assertThat(viewer.page("/").selectFirst(".who").text()).contains(name).contains("viewer");

        admin.page("/settings");
        Response taken = admin.post("/settings/users", Map.of("username", name, "password", "another-long-password",
                "role", "admin"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(taken.asString()).selectFirst("[role=alert]").text())
                .isEqualTo(name + " already has an account");
        assertThat(Sql.query("select role from dashboard_user where username = ?", name)).isEqualTo("viewer");
    }

    @Test
    void aHostileReportRendersAsText() {
        String domain = Fixtures.uniqueDomain();
        organisationWith(domain);
        String script = "<script>alert(\"x\")</script>";
        String attribute = "\"><img src=x onerror=alert('y')>";
        Instant yesterday = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        String hostile = """
                {"organization-name": "%1$s", "report-id": "%2$s", "contact-info": "%3$s",
                 "date-range": {"start-datetime": "%5$s", "end-datetime": "%6$s"},
                 "policies": [{"policy": {"policy-type": "sts", "policy-domain": "%4$s",
                                "policy-string": ["%1$s", "mx: %3$s"], "mx-host": ["%3$s"]},
                               "summary": {"total-successful-session-count": 1, "total-failure-session-count": 2},
                               "failure-details": [{"result-type": "%1$s", "sending-mta-ip": "192.0.2.1",
                                 "receiving-mx-hostname": "%3$s", "receiving-ip": "%1$s",
                                 "failed-session-count": 2, "additional-information": "%3$s",
                                 "failure-reason-code": "%1$s"}]}]}
                """.formatted(json(script), json(script + id()), json(attribute), domain, yesterday, yesterday.plusSeconds(86_399));
        long id = Reports.store(hostile.getBytes(StandardCharsets.UTF_8));

        SignedIn admin = SignedIn.admin();
        for (String path : List.of("/reports/" + id, "/reports?domain=" + domain, "/domains/" + domain)) {
            String html = admin.get(path).asString();
            assertThat(html).as(path).doesNotContain("<script").doesNotContain("<img");
            Document page = Jsoup.parse(html);
            assertThat(page.select("script, img, [onerror]")).as(path).isEmpty();
            assertThat(page.text()).as(path).contains(script);
        }
        Document report = admin.page("/reports/" + id);
        assertThat(report.select("#details td").eachText()).contains(script, attribute);
        assertThat(report.selectFirst("#raw-json").wholeText()).contains("<script>alert(\\\"x\\\")</script>");
        Document domainPage = admin.page("/domains/" + domain);
        assertThat(domainPage.select("#by-mx-host td").eachText()).contains(attribute);
        assertThat(domainPage.select("#by-reporter td").eachText()).contains(script);
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
