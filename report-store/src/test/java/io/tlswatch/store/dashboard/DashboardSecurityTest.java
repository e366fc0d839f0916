package io.tlswatch.store.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.tlswatch.store.alert.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may see and change what: sessions, roles, CSRF tokens, cookies, and the APIs' own bearer tokens. */
@QuarkusTest
class DashboardSecurityTest {

    static final List<String> PAGES = List.of("/", "/domains/example.com", "/reports", "/reports/1",
            "/reports/1/raw", "/settings");

    @Test
    void everyPageRedirectsToSignInWithoutASession() {
        for (String page : PAGES) {
            Response response = given().redirects().follow(false).when().get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(302);
            assertThat(response.header("Location")).as(page).endsWith("/login");
        }
        for (String trick : List.of("//settings", "/settings/", "//domains/example.com", "/reports//1")) {
            Response response = given().redirects().follow(false).when().get(trick);
            assertThat(response.statusCode()).as(trick).isIn(302, 401, 404);
            assertThat(response.asString()).as(trick).doesNotContain("sign-out");
        }
        assertThat(given().when().get("/login").then().statusCode(200).extract().asString())
                .contains("action=\"/j_security_check\"");
    }

    @Test
    void formsPostedWithoutASessionChangeNothing() {
        Response response = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("name", "anonymous").when().post("/settings/organisations");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.header("Location")).endsWith("/login");
    }

    @Test
    void aWrongPasswordIsSentBackToSignInWithAMessage() {
        Response response = SignedIn.signIn(SignedIn.ADMIN, "not-the-password");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.header("Location")).contains("/login?error");
        assertThat(response.getCookie("tlswatch-session")).isNull();
        assertThat(given().when().get("/login?error=1").asString()).contains("do not match an account");
    }

    @Test
    void anUnknownNameIsRefusedLikeAWrongPassword() {
        Response response = SignedIn.signIn("nobody-" + java.util.UUID.randomUUID(), SignedIn.ADMIN_PASSWORD);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.header("Location")).contains("/login?error");
        assertThat(response.getCookie("tlswatch-session")).isNull();
    }

    @Test
    void aRemovedUsersSessionStopsWorkingAtOnce() {
        SignedIn viewer = SignedIn.viewer();
        viewer.page("/");
        io.tlswatch.store.testing.Sql.query("delete from dashboard_user where username = ?", viewer.name);
        Response after = viewer.get("/");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.header("Location")).endsWith("/login");
    }

    @Test
    void aRoleChangeAppliesToTheNextRequest() {
        SignedIn user = SignedIn.viewer();
        assertThat(user.page("/settings").select("form[action=/settings/organisations]")).isEmpty();
        io.tlswatch.store.testing.Sql.query("update dashboard_user set role = 'admin' where username = ?", user.name);
        assertThat(user.page("/settings").select("form[action=/settings/organisations]")).isNotEmpty();
    }

    @Test
    void theSessionCookieIsHttpOnlySecureAndSameSiteStrict() {
        Response response = SignedIn.signIn(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD);
        Cookie session = response.getDetailedCookie("tlswatch-session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecured()).isTrue();
        assertThat(session.getSameSite()).isEqualToIgnoringCase("strict");
        Response page = given().redirects().follow(false).cookie("tlswatch-session", session.getValue()).get("/");
        Cookie csrf = page.getDetailedCookie("tlswatch-csrf");
        assertThat(csrf).isNotNull();
        assertThat(csrf.isHttpOnly()).isTrue();
        assertThat(csrf.isSecured()).isTrue();
    }

    @Test
    void aViewerReadsEveryPageButCannotChangeSettings() {
        SignedIn viewer = SignedIn.viewer();
        String domain = Fixtures.registeredDomain();
        viewer.page("/");
        viewer.page("/reports");
        assertThat(viewer.page("/settings").select("form[action^=/settings/]")).isEmpty();
        assertThat(viewer.page("/domains/" + domain).text()).contains(domain);
        long organisation = (Long) io.tlswatch.store.testing.Sql.query("select id from organisation order by id limit 1");
        Map<String, Response> attempts = Map.of(
                "new organisation", viewer.post("/settings/organisations", Map.of("name", "Viewer's own")),
                "add domain", viewer.post("/settings/organisations/" + organisation + "/domains",
                        Map.of("name", Fixtures.uniqueDomain())),
                "add recipient", viewer.post("/settings/organisations/" + organisation + "/recipients",
                        Map.of("address", "viewer@example.net")),
                "claim", viewer.post("/claims", Map.of("domain", Fixtures.uniqueDomain(),
                        "organisation", String.valueOf(organisation))),
                "add user", viewer.post("/settings/users", Map.of("username", "x", "password", "long-enough-pw",
                        "role", "admin")));
        attempts.forEach((what, response) -> assertThat(response.statusCode()).as(what).isEqualTo(403));
        assertThat(io.tlswatch.store.testing.Sql.query("select count(*) from organisation where name = ?",
                "Viewer's own")).isEqualTo(0L);
    }

    @Test
    void aFormPostedWithoutTheCsrfTokenIsRefused() {
        SignedIn admin = SignedIn.admin();
        admin.page("/settings");
        String name = "No token " + java.util.UUID.randomUUID();
        Response refused = admin.postRaw("/settings/organisations", Map.of("name", name));
        assertThat(refused.statusCode()).isEqualTo(400);
        Response wrongToken = admin.postRaw("/settings/organisations",
                Map.of("name", name, SignedIn.CSRF_FIELD, "forged-token-value"));
        assertThat(wrongToken.statusCode()).isEqualTo(400);
        assertThat(io.tlswatch.store.testing.Sql.query("select count(*) from organisation where name = ?", name))
                .isEqualTo(0L);
        Response accepted = admin.post("/settings/organisations", Map.of("name", name));
        assertThat(accepted.statusCode()).isEqualTo(303);
        assertThat(io.tlswatch.store.testing.Sql.query("select count(*) from organisation where name = ?", name))
                .isEqualTo(1L);
    }

    @Test
    void signingInFromAnotherSitesPageIsRefused() {
        given().redirects().follow(false).header("Origin", "https://attacker.example")
                .formParam("j_username", SignedIn.ADMIN).formParam("j_password", SignedIn.ADMIN_PASSWORD)
                .when().post("/j_security_check").then().statusCode(403);
    }

    @Test
    void signingOutEndsTheSession() {
        SignedIn admin = SignedIn.admin();
        admin.page("/");
        String session = admin.cookies.get("tlswatch-session");
        Response out = admin.post("/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).endsWith("/login?signed-out=1");
        assertThat(admin.cookies).doesNotContainKey("tlswatch-session");
        assertThat(admin.get("/").statusCode()).isEqualTo(302);
        assertThat(session).isNotBlank();
    }

    @Test
    void theApisTakeOnlyTheirBearerTokensNotASession() {
        SignedIn admin = SignedIn.admin();
        given().cookies(admin.cookies).when().get("/api/v1/domains").then().statusCode(401);
        given().cookies(admin.cookies).contentType("application/json").body("{}")
                .when().post("/internal/v1/reports").then().statusCode(401);
        given().header("Authorization", Fixtures.ADMIN).when().get("/api/v1/domains").then().statusCode(200);
    }
}
