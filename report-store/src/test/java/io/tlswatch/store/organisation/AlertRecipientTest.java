package io.tlswatch.store.organisation;

import static io.tlswatch.store.organisation.Admin.ORGANISATIONS;
import static io.tlswatch.store.organisation.Admin.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class AlertRecipientTest {

    static String recipients(long organisation) {
        return ORGANISATIONS + "/" + organisation + "/alert-recipients";
    }

    static Response add(long organisation, String address) {
        return api().body(Map.of("address", address)).when().post(recipients(organisation));
    }

    @Test
    void anOutOfBandRecipientIsAddedWithoutWarnings() {
        long organisation = Admin.createOrganisation();
        String monitored = Admin.uniqueDomain();
        Admin.addDomain(organisation, monitored);

        Response created = add(organisation, "alerts@" + monitored.replace(".example", "-ops.example"));

        created.then().statusCode(201).contentType(ContentType.JSON)
                .body("address", is("alerts@" + monitored.replace(".example", "-ops.example")))
                .body("warnings", empty());
        long id = created.jsonPath().getLong("id");
        assertThat(created.header("Location")).endsWith(recipients(organisation) + "/" + id);
        api().when().get(recipients(organisation)).then().statusCode(200)
                .body("id", is(List.of((int) id)))
                .body("[0].created-at", is(created.jsonPath().getString("created-at")))
                .body("[0].warnings", empty());
    }

    @Test
    void aRecipientAtAMonitoredDomainIsAcceptedWithAnInBandWarning() {
        long organisation = Admin.createOrganisation();
        Admin.addDomain(organisation, "contoso-t1.example");

        add(organisation, "alerts@contoso-t1.example").then().statusCode(201)
                .body("warnings", is(List.of("alerts@contoso-t1.example is in-band: contoso-t1.example is monitored, "
                        + "and if its TLS fails this alert may not be delivered either. Use an out-of-band "
                        + "address, e.g. one at contoso-t1.onmicrosoft.com")));
        api().when().get(recipients(organisation)).then().body("[0].warnings[0]", containsString("is in-band"));
        api().when().get(ORGANISATIONS + "/" + organisation)
                .then().body("alert-recipients[0].warnings[0]", containsString("is in-band"));
    }

    @Test
    void aRecipientAtASubdomainOfAMonitoredDomainIsWarnedToo() {
        long organisation = Admin.createOrganisation();
        String monitored = Admin.uniqueDomain();
        Admin.addDomain(organisation, monitored);

        add(organisation, "noc@Mail.EU." + monitored.toUpperCase()).then().statusCode(201)
                .body("address", is("noc@mail.eu." + monitored))
                .body("warnings[0]", containsString("noc@mail.eu." + monitored + " is in-band: " + monitored
                        + " is monitored"));
    }

    @Test
    void aDomainThatOnlyEndsInTheSameLettersIsNotInBand() {
        long organisation = Admin.createOrganisation();
        String monitored = Admin.uniqueDomain();
        Admin.addDomain(organisation, monitored);

        add(organisation, "alerts@not" + monitored).then().statusCode(201).body("warnings", empty());
    }

    @Test
    void aDomainRegisteredAfterTheRecipientMakesItInBand() {
        long organisation = Admin.createOrganisation();
        String monitored = Admin.uniqueDomain();
        add(organisation, "alerts@" + monitored).then().statusCode(201).body("warnings", empty());
        add(organisation, "ops@outside-" + monitored).then().statusCode(201);

        api().body(Map.of("name", monitored)).when().post(ORGANISATIONS + "/" + organisation + "/domains")
                .then().statusCode(201)
                .body("in-band-recipients", is(List.of("alerts@" + monitored)))
                .body("warnings", is(List.of(InBand.warning("alerts@" + monitored, monitored))));

        api().when().get(recipients(organisation)).then()
                .body("find { it.address == 'alerts@%s' }.warnings[0]".formatted(monitored),
                        containsString("is in-band"))
                .body("find { it.address == 'ops@outside-%s' }.warnings".formatted(monitored), empty());
    }

    @Test
    void anotherOrganisationsDomainDoesNotMakeAnAddressInBand() {
        long owner = Admin.createOrganisation();
        String monitored = Admin.uniqueDomain();
        Admin.addDomain(owner, monitored);

        add(Admin.createOrganisation(), "alerts@" + monitored).then().statusCode(201).body("warnings", empty());
    }

    @Test
    void anIdnDomainPartIsStoredAsItsALabel() {
        long organisation = Admin.createOrganisation();
        add(organisation, "alerts@Bücher.example").then().statusCode(201)
                .body("address", is("alerts@xn--bcher-kva.example"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "''                              | required",
            "'   '                           | required",
            "alerts                          | not a valid e-mail address",
            "alerts@                         | not a valid e-mail address",
            "@example.net                    | not a valid e-mail address",
            "alerts@@example.net             | not a valid e-mail address",
            "a b@example.net                 | not a valid e-mail address",
            "a..b@example.net                | not a valid e-mail address",
            "'a@example.net, b@example.net'  | not a valid e-mail address",
            "Ops <ops@example.net>           | one bare address",
            "<ops@example.net>               | one bare address",
            "ops@example.net (Ops)           | one bare address",
            "'team: a@example.net;'          | one bare address",
            "ops@[192.0.2.1]                 | IP address",
            "ops@localhost                   | at least two labels",
            "ops@exa_mple.net                | not a valid e-mail address",
            "ops@-bad.example                | starts or ends with a hyphen",
            "ops@*.example.net               | not a valid e-mail address",
            "jörg@example.net                | must be ASCII",
    })
    void badAddressesAreRefusedNamingTheField(String address, String why) {
        add(Admin.createOrganisation(), address).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("address"))
                .body("errors[0].message", containsString(why));
    }

    @Test
    void aMissingAddressIsRefusedNamingTheField() {
        api().body("{}").when().post(recipients(Admin.createOrganisation()))
                .then().statusCode(400).body("errors[0].field", is("address"));
    }

    @Test
    void theSameRecipientTwiceInOneOrganisationIsAConflict() {
        long organisation = Admin.createOrganisation();
        add(organisation, "alerts@outside.example").then().statusCode(201);

        add(organisation, "Alerts@OUTSIDE.example").then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", is("address"));
        api().when().get(recipients(organisation)).then().body("address", is(List.of("alerts@outside.example")));
    }

    @Test
    void concurrentAddsOfTheSameRecipientCreateItOnceAndConflictOtherwise() throws Exception {
        long organisation = Admin.createOrganisation();
        List<Integer> statuses = Concurrently.run(8, i -> add(organisation, "race@outside.example").statusCode());

        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        api().when().get(recipients(organisation)).then().body("address", is(List.of("race@outside.example")));
    }

    @Test
    void theSameAddressMayReceiveTheAlertsOfTwoOrganisations() {
        add(Admin.createOrganisation(), "shared@outside.example").then().statusCode(201);
        add(Admin.createOrganisation(), "shared@outside.example").then().statusCode(201);
    }

    @Test
    void aRecipientIsDeleted() {
        long organisation = Admin.createOrganisation();
        long kept = add(organisation, "kept@outside.example").jsonPath().getLong("id");
        long gone = add(organisation, "gone@outside.example").jsonPath().getLong("id");

        api().when().delete(recipients(organisation) + "/" + gone).then().statusCode(204);

        api().when().get(recipients(organisation)).then().body("id", is(List.of((int) kept)));
        api().when().delete(recipients(organisation) + "/" + gone).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRecipientOfAnotherOrganisationIsNotDeletedThroughThisOne() {
        long owner = Admin.createOrganisation();
        long id = add(owner, "mine@outside.example").jsonPath().getLong("id");

        api().when().delete(recipients(Admin.createOrganisation()) + "/" + id).then().statusCode(404);
        api().when().get(recipients(owner)).then().body("id", is(List.of((int) id)));
    }
}
