package io.tlswatch.store.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build-time OpenAPI document, served where Quarkus' extension served it and in both of its formats. */
@QuarkusTest
class OpenApiDocumentTest {

    @TestHTTPResource(value = "openapi", management = true)
    URL openApi;

    @Test
    void yamlByDefaultListingTheApisButNotTheDashboardPages() {
        String yaml = given().when().get(openApi).then().statusCode(200)
                .contentType("application/yaml").extract().asString();
        assertThat(yaml).contains("openapi: 3.1", "/api/v1/reports/{id}:", "/internal/v1/reports:")
                .doesNotContain("/login", "/settings");
    }

    @Test
    void jsonWhenAskedForByQueryOrAcceptHeader() {
        Map<String, Object> byQuery = given().queryParam("format", "json").when().get(openApi).then()
                .statusCode(200).contentType("application/json").extract().jsonPath().getMap("paths");
        assertThat(byQuery).containsKeys("/api/v1/domains", "/internal/v1/reports");
        given().accept("application/json").when().get(openApi).then().statusCode(200)
                .contentType("application/json");
        given().queryParam("format", "yaml").accept("application/json").when().get(openApi).then()
                .statusCode(200).contentType("application/yaml");
    }

    @Test
    void notOnThePublicPort() {
        given().when().get("/q/openapi").then().statusCode(404);
    }
}
