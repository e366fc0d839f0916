package io.tlswatch.store.event;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.alert.Fixtures.INTERNAL;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CursorTest {

    static ValidatableResponse put(String name, Object body) {
        return given().header("Authorization", INTERNAL).contentType(ContentType.JSON).body(body)
                .when().put("/internal/v1/cursors/" + name).then();
    }

    static ValidatableResponse get(String name) {
        return given().header("Authorization", INTERNAL).when().get("/internal/v1/cursors/" + name).then();
    }

    @Test
    void aCursorNeverSetIsAtZero() {
        get("never-" + UUID.randomUUID()).statusCode(200)
                .body("position", is(0)).body("updated-at", nullValue());
    }

    @Test
    void aCursorOnlyMovesForwardAndALowerPositionIsIgnored() {
        String name = "sweep-" + UUID.randomUUID();
        put(name, Map.of("position", 1000)).statusCode(200).body("name", is(name)).body("position", is(1000))
                .body("updated-at", notNullValue());
        put(name, Map.of("position", 2000)).statusCode(200).body("position", is(2000));
        put(name, Map.of("position", 1500)).statusCode(200).body("position", is(2000));
        put(name, Map.of("position", 0)).statusCode(200).body("position", is(2000));
        get(name).statusCode(200).body("position", is(2000));
        put(name, Map.of("position", 2001)).statusCode(200).body("position", is(2001));
    }

    @Test
    void aNegativeOrMissingPositionAndABadNameAreRefused() {
        put("sweep", Map.of("position", -1)).statusCode(400).body("errors[0].field", is("position"));
        put("sweep", Map.of()).statusCode(400).body("errors[0].field", is("position"));
        get("bad name!").statusCode(400).body("errors[0].field", is("name"));
    }
}
