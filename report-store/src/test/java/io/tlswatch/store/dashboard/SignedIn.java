package io.tlswatch.store.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.restassured.response.Response;
import io.tlswatch.store.testing.Sql;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A browser-like session over real HTTP: signs in through the form, keeps the cookies it is given (the
 * session and the CSRF token), and posts forms with the token read from the last page, as a browser would.
 */
final class SignedIn {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String CSRF_FIELD = "csrf-token";

    final String name;
    final Map<String, String> cookies = new HashMap<>();
    private String csrfToken;

    private SignedIn(String name) {
        this.name = name;
    }

    /** The admin created from configuration. */
    static SignedIn admin() {
        return as(ADMIN, ADMIN_PASSWORD);
    }

    /** A new viewer, made in the database the way an admin's form makes one. */
    static SignedIn viewer() {
        String name = "viewer-" + UUID.randomUUID();
        String password = "viewer-password-" + UUID.randomUUID();
        Sql.query("insert into dashboard_user (username, password, role) values (?, ?, 'viewer')", name,
                BcryptUtil.bcryptHash(password));
        return as(name, password);
    }

    static SignedIn as(String user, String password) {
        SignedIn session = new SignedIn(user);
        Response response = signIn(user, password);
        assertThat(response.statusCode()).as("sign-in answer").isEqualTo(302);
        assertThat(response.header("Location")).doesNotContain("error");
        session.keep(response);
        assertThat(session.cookies).containsKey("tlswatch-session");
        return session;
    }

    static Response signIn(String user, String password) {
        return given().redirects().follow(false).formParam("j_username", user).formParam("j_password", password)
                .when().post("/j_security_check");
    }

    /** GET with the session; answers the response (redirects not followed). */
    Response get(String path) {
        Response response = given().redirects().follow(false).cookies(cookies).when().get(path);
        keep(response);
        return response;
    }

    /** GET a page that must answer 200, parsed; remembers its CSRF token. */
    Document page(String path) {
        Response response = get(path);
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        assertThat(response.asString()).as("GET " + path + ": every expression resolved").doesNotContain("NOT_FOUND");
        Document page = Jsoup.parse(response.asString());
        var token = page.selectFirst("input[name=" + CSRF_FIELD + "]");
        if (token != null) {
            csrfToken = token.attr("value");
        }
        return page;
    }

    /** POST a form with the CSRF token of the last page read. */
    Response post(String path, Map<String, String> form) {
        Map<String, String> fields = new HashMap<>(form);
        if (csrfToken != null) {
            fields.put(CSRF_FIELD, csrfToken);
        }
        return postRaw(path, fields);
    }

    /** POST a form exactly as given: no token added. */
    Response postRaw(String path, Map<String, String> form) {
        var request = given().redirects().follow(false).cookies(cookies).contentType("application/x-www-form-urlencoded");
        form.forEach(request::formParam);
        Response response = request.when().post(path);
        keep(response);
        return response;
    }

    private void keep(Response response) {
        response.getDetailedCookies().forEach(cookie -> {
            if (cookie.getValue() == null || cookie.getValue().isEmpty() || cookie.getMaxAge() == 0) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        });
    }
}
