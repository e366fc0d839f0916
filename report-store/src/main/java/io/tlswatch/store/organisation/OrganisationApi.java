package io.tlswatch.store.organisation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.tlswatch.store.domain.Domain;
import java.time.Instant;
import java.util.List;

/**
 * The JSON of {@code /api/v1/organisations}: requests and responses, in the API's kebab-case, kept
 * apart from the rows' records and mapped by hand.
 */
public final class OrganisationApi {

    private OrganisationApi() {
    }

    /** {@code POST /api/v1/organisations}. */
    public record NewOrganisation(@JsonProperty("name") String name) {
    }

    /** An organisation as created. */
    // A Response entity, which Quarkus cannot see at build time: registered so a native image serialises it.
    @RegisterForReflection
    public record OrganisationView(
            @JsonProperty("id") long id,
            @JsonProperty("name") String name,
            @JsonProperty("created-at") Instant createdAt) {

        static OrganisationView of(Organisation organisation) {
            return new OrganisationView(organisation.id(), organisation.name(), organisation.createdAt());
        }
    }

    /** One item of the organisation list: the organisation and how many domains and recipients it has. */
    public record OrganisationSummary(
            @JsonProperty("id") long id,
            @JsonProperty("name") String name,
            @JsonProperty("created-at") Instant createdAt,
            @JsonProperty("domain-count") long domainCount,
            @JsonProperty("alert-recipient-count") long alertRecipientCount) {
    }

    /** One organisation with its domains and alert recipients. */
    public record OrganisationDetail(
            @JsonProperty("id") long id,
            @JsonProperty("name") String name,
            @JsonProperty("created-at") Instant createdAt,
            @JsonProperty("domains") List<DomainView> domains,
            @JsonProperty("alert-recipients") List<RecipientView> alertRecipients) {
    }

    /** {@code POST .../domains}; TLS reporting defaults to on. */
    public record NewDomain(
            @JsonProperty("name") String name,
            @JsonProperty("tls-reporting-enabled") Boolean tlsReportingEnabled) {
    }

    /** {@code PUT .../domains/{domain}}. */
    public record DomainSettings(@JsonProperty("tls-reporting-enabled") Boolean tlsReportingEnabled) {
    }

    /** A registered domain. */
    public record DomainView(
            @JsonProperty("name") String name,
            @JsonProperty("tls-reporting-enabled") boolean tlsReportingEnabled,
            @JsonProperty("created-at") Instant createdAt) {

        static DomainView of(Domain domain) {
            return new DomainView(domain.name(), domain.tlsReportingEnabled(), domain.createdAt());
        }
    }

    /**
     * A domain just registered: how many stored reports it claimed, and the organisation's recipients
     * that are in-band for it, with a warning for each.
     */
    public record RegisteredDomain(
            @JsonProperty("name") String name,
            @JsonProperty("tls-reporting-enabled") boolean tlsReportingEnabled,
            @JsonProperty("created-at") Instant createdAt,
            @JsonProperty("claimed-reports") long claimedReports,
            @JsonProperty("in-band-recipients") List<String> inBandRecipients,
            @JsonProperty("warnings") List<String> warnings) {
    }

    /** {@code POST .../alert-recipients}. */
    public record NewRecipient(@JsonProperty("address") String address) {
    }

    /** An alert recipient with its current warnings (empty when the address is out-of-band). */
    public record RecipientView(
            @JsonProperty("id") long id,
            @JsonProperty("address") String address,
            @JsonProperty("created-at") Instant createdAt,
            @JsonProperty("warnings") List<String> warnings) {

        static RecipientView of(AlertRecipient recipient, List<String> domains) {
            return new RecipientView(recipient.id(), recipient.address(), recipient.createdAt(),
                    InBand.warnings(recipient.address(), domains));
        }
    }
}
