package io.tlswatch.store.organisation;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** The organisation admin API as a test drives it: real HTTP with the admin token. */
final class Admin {

    static final String TOKEN = "Bearer test-admin-token";
    static final String ORGANISATIONS = "/api/v1/organisations";

    private Admin() {
    }

    static RequestSpecification api() {
        return given().header("Authorization", TOKEN).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    static long createOrganisation(String name) {
        return api().body(Map.of("name", name)).when().post(ORGANISATIONS)
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static long createOrganisation() {
        return createOrganisation("Org " + UUID.randomUUID());
    }

    static void addDomain(long organisation, String name) {
        api().body(Map.of("name", name)).when().post(ORGANISATIONS + "/" + organisation + "/domains")
                .then().statusCode(201);
    }

    /** A name no other test uses, under the reserved .example TLD. */
    static String uniqueDomain() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + ".example";
    }
}
