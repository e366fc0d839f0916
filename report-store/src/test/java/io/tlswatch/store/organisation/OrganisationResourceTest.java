package io.tlswatch.store.organisation;

import static io.restassured.RestAssured.given;
import static io.tlswatch.store.organisation.Admin.ORGANISATIONS;
import static io.tlswatch.store.organisation.Admin.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class OrganisationResourceTest {

    @Test
    void anOrganisationIsCreatedWithItsIdNameCreationTimeAndLocation() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Response created = api().body(Map.of("name", "  Contoso Ltd  ")).when().post(ORGANISATIONS);

        created.then().statusCode(201).contentType(ContentType.JSON).body("name", is("Contoso Ltd"));
        long id = created.jsonPath().getLong("id");
        assertThat(created.header("Location")).endsWith(ORGANISATIONS + "/" + id);
        assertThat(Instant.parse(created.jsonPath().getString("created-at"))).isBetween(before, Instant.now());
        api().when().get(created.header("Location")).then().statusCode(200)
                .body("id", is((int) id))
                .body("created-at", is(created.jsonPath().getString("created-at")));
    }

    @Test
    void organisationsAreListedWithTheirDomainAndRecipientCounts() {
        long withBoth = Admin.createOrganisation("Listed with both");
        Admin.addDomain(withBoth, Admin.uniqueDomain());
        Admin.addDomain(withBoth, Admin.uniqueDomain());
        api().body(Map.of("address", "ops@outside.example")).post(ORGANISATIONS + "/" + withBoth + "/alert-recipients")
                .then().statusCode(201);
        long bare = Admin.createOrganisation("Listed bare");

        JsonPath list = api().when().get(ORGANISATIONS).then().statusCode(200).extract().jsonPath();

        Map<String, Object> first = list.getMap("find { it.id == " + withBoth + " }");
        assertThat(first).containsEntry("name", "Listed with both")
                .containsEntry("domain-count", 2).containsEntry("alert-recipient-count", 1)
                .containsKey("created-at");
        Map<String, Object> second = list.getMap("find { it.id == " + bare + " }");
        assertThat(second).containsEntry("domain-count", 0).containsEntry("alert-recipient-count", 0);
        List<Long> ids = list.getList("id", Long.class);
        assertThat(ids).isSorted();
    }

    @Test
    void oneOrganisationIsReadWithItsDomainsAndRecipients() {
        long id = Admin.createOrganisation("Read in full");
        String domain = Admin.uniqueDomain();
        Admin.addDomain(id, domain);
        api().body(Map.of("address", "noc@elsewhere.example")).post(ORGANISATIONS + "/" + id + "/alert-recipients")
                .then().statusCode(201);

        api().when().get(ORGANISATIONS + "/" + id).then().statusCode(200)
                .body("name", is("Read in full"))
                .body("domains.name", is(List.of(domain)))
                .body("domains[0].tls-reporting-enabled", is(true))
                .body("alert-recipients.address", is(List.of("noc@elsewhere.example")))
                .body("alert-recipients[0].warnings", empty());
    }

    @Test
    void deletingAnOrganisationRemovesItWithItsDomainsAndRecipients() {
        long id = Admin.createOrganisation();
        String domain = Admin.uniqueDomain();
        Admin.addDomain(id, domain);
        api().body(Map.of("address", "alerts@" + domain)).post(ORGANISATIONS + "/" + id + "/alert-recipients")
                .then().statusCode(201);

        api().when().delete(ORGANISATIONS + "/" + id).then().statusCode(204);

        api().when().get(ORGANISATIONS + "/" + id).then().statusCode(404);
        api().when().get(ORGANISATIONS + "/" + id + "/alert-recipients").then().statusCode(404);
        // The domain went with it: another organisation may register it now.
        Admin.addDomain(Admin.createOrganisation(), domain);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"name\":null}", "{\"name\":\"\"}", "{\"name\":\"   \"}" })
    void aMissingOrBlankNameIsRefusedNamingTheField(String body) {
        api().body(body).when().post(ORGANISATIONS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("errors[0].field", is("name"))
                .body("errors[0].message", is("required"));
    }

    @Test
    void aNameOfAtMost200CharactersIsAcceptedAndALongerOneRefused() {
        api().body(Map.of("name", "n".repeat(200))).when().post(ORGANISATIONS).then().statusCode(201);
        api().body(Map.of("name", "n".repeat(201))).when().post(ORGANISATIONS).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("name"))
                .body("errors[0].message", is("at most 200 characters"));
    }

    @Test
    void anUnknownOrganisationIsANotFoundProblemOnEveryRoute() {
        String unknown = ORGANISATIONS + "/987654321";
        for (Response response : List.of(
                api().get(unknown),
                api().delete(unknown),
                api().get(unknown + "/domains"),
                api().body(Map.of("name", Admin.uniqueDomain())).post(unknown + "/domains"),
                api().body(Map.of("tls-reporting-enabled", false)).put(unknown + "/domains/example.net"),
                api().delete(unknown + "/domains/example.net"),
                api().get(unknown + "/alert-recipients"),
                api().body(Map.of("address", "a@example.net")).post(unknown + "/alert-recipients"),
                api().delete(unknown + "/alert-recipients/1"))) {
            response.then().statusCode(404).contentType("application/problem+json")
                    .body("status", is(404)).body("detail", endsWith("987654321"));
        }
    }

    @Test
    void theRoutesNeedTheAdminToken() {
        given().contentType(ContentType.JSON).body(Map.of("name", "No token")).when().post(ORGANISATIONS)
                .then().statusCode(401);
        given().header("Authorization", "Bearer test-internal-token").when().get(ORGANISATIONS)
                .then().statusCode(401);
    }
}
