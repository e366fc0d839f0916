package io.tlswatch.store.organisation;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.organisation.OrganisationApi.DomainSettings;
import io.tlswatch.store.organisation.OrganisationApi.DomainView;
import io.tlswatch.store.organisation.OrganisationApi.NewDomain;
import io.tlswatch.store.organisation.OrganisationApi.NewOrganisation;
import io.tlswatch.store.organisation.OrganisationApi.NewRecipient;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationDetail;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationSummary;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationView;
import io.tlswatch.store.organisation.OrganisationApi.RecipientView;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.store.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The organisation admin API (admin token): organisations, their domains and alert recipients.
 * Requests are validated and normalised here, each error naming its field; {@link OrganisationService}
 * does the rest. Domains in paths may be U-labels or A-labels.
 */
@Path("/api/v1/organisations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrganisationResource {

    static final int MAX_NAME_LENGTH = 200;

    private final OrganisationService service;

    OrganisationResource(OrganisationService service) {
        this.service = service;
    }

    /** 201 {@code {"id", "name", "created-at"}} with a Location header. */
    @POST
    public Uni<Response> create(NewOrganisation request) {
        String name = organisationName(request == null ? null : request.name());
        return service.create(name).map(organisation -> Response
                .created(UriBuilder.fromResource(OrganisationResource.class).path("{id}").build(organisation.id()))
                .entity(OrganisationView.of(organisation)).build());
    }

    /** Every organisation, by id, with its numbers of domains and recipients. */
    @GET
    public Uni<List<OrganisationSummary>> list() {
        return service.list();
    }

    @GET
    @Path("{id}")
    public Uni<OrganisationDetail> get(@PathParam("id") long id) {
        return service.get(id);
    }

    /** 204; its domains and recipients go with it, its reports stay (unclaimed or to another's parent domain). */
    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return service.delete(id).replaceWith(Response.noContent().build());
    }

    /** 201 with the A-label, the reports it claimed, and the recipients that are now in-band. */
    @POST
    @Path("{id}/domains")
    public Uni<Response> addDomain(@PathParam("id") long id, NewDomain request) {
        String name = DomainSyntax.toALabel("name", request == null ? null : request.name());
        boolean enabled = request.tlsReportingEnabled() == null || request.tlsReportingEnabled();
        return service.addDomain(id, name, enabled).map(domain -> Response
                .created(UriBuilder.fromResource(OrganisationResource.class).path("{id}/domains/{domain}")
                        .build(id, domain.name()))
                .entity(domain).build());
    }

    @GET
    @Path("{id}/domains")
    public Uni<List<DomainView>> listDomains(@PathParam("id") long id) {
        return service.listDomains(id);
    }

    /** Switches TLS reporting on or off: {@code {"tls-reporting-enabled": bool}}. */
    @PUT
    @Path("{id}/domains/{domain}")
    public Uni<DomainView> updateDomain(@PathParam("id") long id, @PathParam("domain") String domain,
            DomainSettings request) {
        if (request == null || request.tlsReportingEnabled() == null) {
            throw new InvalidRequestException("tls-reporting-enabled", "required: true or false");
        }
        return service.setTlsReporting(id, pathDomain(id, domain), request.tlsReportingEnabled());
    }

    @DELETE
    @Path("{id}/domains/{domain}")
    public Uni<Response> deleteDomain(@PathParam("id") long id, @PathParam("domain") String domain) {
        return service.deleteDomain(id, pathDomain(id, domain)).replaceWith(Response.noContent().build());
    }

    /** 201 with the recipient and its warnings (an in-band address is accepted, with a warning). */
    @POST
    @Path("{id}/alert-recipients")
    public Uni<Response> addRecipient(@PathParam("id") long id, NewRecipient request) {
        String address = AddressSyntax.normalise(request == null ? null : request.address());
        return service.addRecipient(id, address).map(recipient -> Response
                .created(UriBuilder.fromResource(OrganisationResource.class).path("{id}/alert-recipients/{rid}")
                        .build(id, recipient.id()))
                .entity(recipient).build());
    }

    /** Each recipient with its current warnings (recomputed, so a domain registered later counts). */
    @GET
    @Path("{id}/alert-recipients")
    public Uni<List<RecipientView>> listRecipients(@PathParam("id") long id) {
        return service.listRecipients(id);
    }

    @DELETE
    @Path("{id}/alert-recipients/{recipientId}")
    public Uni<Response> deleteRecipient(@PathParam("id") long id, @PathParam("recipientId") long recipientId) {
        return service.deleteRecipient(id, recipientId).replaceWith(Response.noContent().build());
    }

    /** A valid organisation name, stripped; also the dashboard's rule. */
    public static String organisationName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("name", "required");
        }
        String stripped = name.strip();
        if (stripped.codePointCount(0, stripped.length()) > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name", "at most " + MAX_NAME_LENGTH + " characters");
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("name", "must not contain control characters");
        }
        return stripped;
    }

    /** A domain named in a path, U-label or A-label; one that cannot be a registered name is simply not found. */
    private static String pathDomain(long id, String domain) {
        String name = DomainSyntax.toALabelOrNull(domain);
        if (name == null) {
            throw new NotFoundException("Organisation " + id + " has no domain " + DomainSyntax.abbreviate(domain));
        }
        return name;
    }
}
