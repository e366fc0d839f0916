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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class DomainRegistrationTest {

    static String domains(long organisation) {
        return ORGANISATIONS + "/" + organisation + "/domains";
    }

    @Test
    void aDomainIsRegisteredWithTlsReportingOnByDefault() {
        long organisation = Admin.createOrganisation();
        String name = Admin.uniqueDomain();

        Response created = api().body(Map.of("name", name)).when().post(domains(organisation));

        created.then().statusCode(201).contentType(ContentType.JSON)
                .body("name", is(name))
                .body("tls-reporting-enabled", is(true))
                .body("claimed-reports", is(0))
                .body("in-band-recipients", empty())
                .body("warnings", empty());
        assertThat(Instant.parse(created.jsonPath().getString("created-at"))).isBeforeOrEqualTo(Instant.now());
        assertThat(created.header("Location")).endsWith(domains(organisation) + "/" + name);
        api().when().get(domains(organisation)).then().statusCode(200)
                .body("name", is(List.of(name)))
                .body("[0].tls-reporting-enabled", is(true))
                .body("[0].created-at", is(created.jsonPath().getString("created-at")));
    }

    @Test
    void aDomainMayBeRegisteredWithTlsReportingOff() {
        long organisation = Admin.createOrganisation();
        api().body(Map.of("name", Admin.uniqueDomain(), "tls-reporting-enabled", false)).when()
                .post(domains(organisation))
                .then().statusCode(201).body("tls-reporting-enabled", is(false));
    }

    @Test
    void aNameIsStoredInLowerCaseWithoutItsTrailingDot() {
        long organisation = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        api().body(Map.of("name", " Mail." + name.toUpperCase() + ". ")).when().post(domains(organisation))
                .then().statusCode(201).body("name", is("mail." + name));
    }

    @Test
    void anIdnDomainIsStoredAsItsALabelAndFoundByEitherForm() {
        long organisation = Admin.createOrganisation();

        api().body(Map.of("name", "Bücher.example")).when().post(domains(organisation))
                .then().statusCode(201).body("name", is("xn--bcher-kva.example"));

        api().when().get(domains(organisation)).then().body("name", is(List.of("xn--bcher-kva.example")));
        api().body(Map.of("tls-reporting-enabled", false)).when().put(domains(organisation) + "/bücher.example")
                .then().statusCode(200).body("name", is("xn--bcher-kva.example"));
        api().when().delete(domains(organisation) + "/xn--bcher-kva.example").then().statusCode(204);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "''                           | required",
            "'   '                        | required",
            "example                      | at least two labels",
            "*.example.com                | wildcards are not allowed",
            "exa_mple.com                 | only letters, digits and hyphens",
            "exa mple.com                 | only letters, digits and hyphens",
            "-example.com                 | starts or ends with a hyphen",
            "example-.com                 | starts or ends with a hyphen",
            "example..com                 | empty label",
            ".example.com                 | empty label",
            "192.0.2.1                    | IP address",
            "[192.0.2.1]                  | IP address",
            "2001:db8::1                  | IP address",
            "example.123                  | last label is all digits",
            "xn--ab-zz.example            | not a valid A-label",
            "https://example.com/         | not a URL",
            "alerts@example.com           | not a URL or an e-mail address",
            "example.com:25               | only letters, digits and hyphens",
    })
    void badDomainSyntaxIsRefusedNamingTheField(String name, String why) {
        api().body(Map.of("name", name)).when().post(domains(Admin.createOrganisation()))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("name"))
                .body("errors[0].message", containsString(why));
    }

    @Test
    void aMissingNameIsRefusedNamingTheField() {
        api().body("{\"tls-reporting-enabled\":true}").when().post(domains(Admin.createOrganisation()))
                .then().statusCode(400).body("errors[0].field", is("name"));
    }

    @Test
    void aLabelOfAtMost63AndANameOfAtMost253CharactersAreAcceptedAndLongerOnesRefused() {
        long organisation = Admin.createOrganisation();
        String label63 = "a".repeat(63);
        api().body(Map.of("name", label63 + "." + Admin.uniqueDomain())).post(domains(organisation))
                .then().statusCode(201);
        api().body(Map.of("name", "a" + label63 + ".example")).post(domains(organisation))
                .then().statusCode(400).body("errors[0].message", containsString("longer than 63"));

        String unique = Admin.uniqueDomain();                          // 25 characters
        String name253 = (label63 + ".").repeat(3) + "b".repeat(253 - 3 * 64 - unique.length() - 1) + "." + unique;
        assertThat(name253).hasSize(253);
        api().body(Map.of("name", name253)).post(domains(organisation)).then().statusCode(201);
        api().body(Map.of("name", "c" + name253)).post(domains(organisation))
                .then().statusCode(400).body("errors[0].message", containsString("longer than 253"));
    }

    @Test
    void aDomainAnyOrganisationHasRegisteredIsAConflictNamingTheField() {
        long first = Admin.createOrganisation();
        long second = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        Admin.addDomain(first, name);

        for (long organisation : new long[] { first, second }) {
            api().body(Map.of("name", name.toUpperCase())).when().post(domains(organisation))
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("errors[0].field", is("name"))
                    .body("errors[0].message", is(name + " is already registered"));
        }
        api().when().get(domains(second)).then().body("$", empty());
    }

    @Test
    void concurrentRegistrationsOfOneNameByManyOrganisationsLetExactlyOneWin() throws Exception {
        String name = Admin.uniqueDomain();
        long[] organisations = new long[8];
        for (int i = 0; i < organisations.length; i++) {
            organisations[i] = Admin.createOrganisation();
        }
        List<Integer> statuses = Concurrently.run(organisations.length,
                i -> api().body(Map.of("name", name)).when().post(domains(organisations[i])).statusCode());

        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
    }

    @Test
    void theSameIdnNameInItsOtherFormIsAConflictToo() {
        long organisation = Admin.createOrganisation();
        api().body(Map.of("name", "straße-t1.example")).when().post(domains(organisation)).then().statusCode(201);
        String aLabel = api().when().get(domains(organisation)).then().extract().jsonPath().getString("[0].name");
        api().body(Map.of("name", aLabel)).when().post(domains(Admin.createOrganisation()))
                .then().statusCode(409).body("errors[0].field", is("name"));
    }

    @Test
    void tlsReportingIsSwitchedOffAndOnAgain() {
        long organisation = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        Admin.addDomain(organisation, name);

        api().body(Map.of("tls-reporting-enabled", false)).when().put(domains(organisation) + "/" + name)
                .then().statusCode(200).body("name", is(name)).body("tls-reporting-enabled", is(false));
        api().when().get(domains(organisation)).then().body("[0].tls-reporting-enabled", is(false));
        api().when().get(ORGANISATIONS + "/" + organisation).then().body("domains[0].tls-reporting-enabled", is(false));

        api().body(Map.of("tls-reporting-enabled", true)).when().put(domains(organisation) + "/" + name)
                .then().statusCode(200).body("tls-reporting-enabled", is(true));
        api().when().get(domains(organisation)).then().body("[0].tls-reporting-enabled", is(true));
    }

    @Test
    void switchingTlsReportingWithoutTheFlagIsRefusedNamingTheField() {
        long organisation = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        Admin.addDomain(organisation, name);
        api().body("{}").when().put(domains(organisation) + "/" + name)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("tls-reporting-enabled"));
    }

    @Test
    void aFlagThatIsNotABooleanIsRefusedNamingTheField() {
        long organisation = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        Admin.addDomain(organisation, name);
        api().body("{\"tls-reporting-enabled\":\"maybe\"}").when().put(domains(organisation) + "/" + name)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("tls-reporting-enabled"));
    }

    @Test
    void aBodyThatIsNotJsonIsAProblem() {
        api().body("{\"name\":").when().post(domains(Admin.createOrganisation()))
                .then().statusCode(400).contentType("application/problem+json").body("status", is(400));
    }

    @Test
    void aBodyThatIsNotAnObjectIsAProblem() {
        api().body("[\"example.com\"]").when().post(domains(Admin.createOrganisation()))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", is("The body is not the JSON object this request takes"));
    }

    @Test
    void aDomainOfAnotherOrganisationIsNotFoundUnderThisOne() {
        long owner = Admin.createOrganisation();
        long other = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        Admin.addDomain(owner, name);

        api().body(Map.of("tls-reporting-enabled", false)).when().put(domains(other) + "/" + name)
                .then().statusCode(404).contentType("application/problem+json");
        api().when().delete(domains(other) + "/" + name).then().statusCode(404);
        api().when().delete(domains(other) + "/not_a_domain").then().statusCode(404);
        api().when().get(domains(owner)).then().body("name", is(List.of(name)))
                .body("[0].tls-reporting-enabled", is(true));
    }

    @Test
    void aDeletedDomainIsGoneAndCanBeRegisteredAgain() {
        long organisation = Admin.createOrganisation();
        String name = Admin.uniqueDomain();
        Admin.addDomain(organisation, name);

        api().when().delete(domains(organisation) + "/" + name).then().statusCode(204);

        api().when().get(domains(organisation)).then().body("$", empty());
        api().when().delete(domains(organisation) + "/" + name).then().statusCode(404);
        Admin.addDomain(Admin.createOrganisation(), name);
    }
}
