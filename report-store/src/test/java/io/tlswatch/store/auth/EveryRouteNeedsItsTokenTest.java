package io.tlswatch.store.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Walks every route the OpenAPI document lists, so a route added later is covered without editing
 * this test: /api/* and /internal/* answer 401 problem+json without a token or with the wrong one.
 */
@QuarkusTest
class EveryRouteNeedsItsTokenTest {

    @TestHTTPResource(value = "openapi", management = true)
    URL openApi;

    record Route(String method, String path) {
    }

    private List<Route> protectedRoutes() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").when().get(openApi)
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        List<Route> routes = new ArrayList<>();
        paths.forEach((template, methods) -> {
            if (template.startsWith("/api/") || template.startsWith("/internal/")) {
                String path = template.replaceAll("\\{[^}]+}", "1");
                methods.keySet().forEach(method -> routes.add(new Route(method.toUpperCase(), path)));
            }
        });
        return routes;
    }

    @Test
    void everyProtectedRouteRefusesAMissingOrWrongToken() {
        List<Route> routes = protectedRoutes();
        assertThat(routes).extracting(Route::path)
                .contains("/api/v1/reports", "/api/v1/reports/1/raw", "/api/v1/domains", "/internal/v1/reports");
        for (Route route : routes) {
            for (String authorization : new String[] {null, "Bearer wrong-token", "Bearer test-admin-token x",
                    "Basic dGVzdA=="}) {
                var request = given().contentType("application/json").body("{}");
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                JsonPath problem = request.when().request(route.method(), route.path())
                        .then().statusCode(401).contentType("application/problem+json").extract().jsonPath();
                assertThat(problem.getInt("status")).as(route + " " + authorization).isEqualTo(401);
            }
        }
    }

    @Test
    void theInternalTokenDoesNotOpenTheAdminApiNorTheOtherWayRound() {
        given().header("Authorization", "Bearer test-internal-token").when().get("/api/v1/domains")
                .then().statusCode(401);
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json").body("{}")
                .when().post("/internal/v1/reports").then().statusCode(401);
    }

    @Test
    void pathTricksDoNotSlipPastThePrefixCheck() {
        given().when().get("//api/v1/domains").then().statusCode(401);
        given().when().get("/api//v1/domains").then().statusCode(401);
    }
}
