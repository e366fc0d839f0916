package io.tlswatch.store.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.organisation.AddressSyntax;
import io.tlswatch.store.organisation.DomainSyntax;
import io.tlswatch.store.organisation.Organisation;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationDetail;
import io.tlswatch.store.organisation.OrganisationResource;
import io.tlswatch.store.organisation.OrganisationService;
import io.tlswatch.store.problem.NotFoundException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Organisation settings: organisations, their domains (add, remove, TLS reporting on/off) and alert
 * addresses (with the in-band warning), and the dashboard's users. Everyone reads; only admins change.
 * Every change is a form post with the CSRF token, validated by the organisation API's own rules, then a
 * redirect back (post/redirect/get).
 */
@Path("/settings")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({DashboardUser.ADMIN, DashboardUser.VIEWER})
public class SettingsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(Viewer viewer, List<OrganisationDetail> organisations,
                List<Users.UserView> users, String error);
    }

    private final OrganisationService organisations;
    private final Users users;
    private final SecurityIdentity identity;

    SettingsResource(OrganisationService organisations, Users users, SecurityIdentity identity) {
        this.organisations = organisations;
        this.users = users;
        this.identity = identity;
    }

    @GET
    public Uni<TemplateInstance> settings() {
        return page(null);
    }

    @POST
    @Path("organisations")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addOrganisation(@FormParam("name") String name) {
        return change(Uni.createFrom().deferred(() -> organisations.create(OrganisationResource.organisationName(name)))
                .map(Organisation::id));
    }

    @POST
    @Path("organisations/{id}/domains")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addDomain(@PathParam("id") long id, @FormParam("name") String name) {
        return change(Uni.createFrom().deferred(() -> organisations.addDomain(id, DomainSyntax.toALabel("name", name),
                true)).replaceWith(id));
    }

    @POST
    @Path("organisations/{id}/domains/{domain}/reporting")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> setReporting(@PathParam("id") long id, @PathParam("domain") String domain,
            @FormParam("enabled") boolean enabled) {
        return change(Uni.createFrom().deferred(() -> organisations.setTlsReporting(id, pathDomain(domain), enabled))
                .replaceWith(id));
    }

    @POST
    @Path("organisations/{id}/domains/{domain}/delete")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> removeDomain(@PathParam("id") long id, @PathParam("domain") String domain) {
        return change(Uni.createFrom().deferred(() -> organisations.deleteDomain(id, pathDomain(domain)))
                .replaceWith(id));
    }

    @POST
    @Path("organisations/{id}/recipients")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addRecipient(@PathParam("id") long id, @FormParam("address") String address) {
        return change(Uni.createFrom().deferred(() -> organisations.addRecipient(id, AddressSyntax.normalise(address)))
                .replaceWith(id));
    }

    @POST
    @Path("organisations/{id}/recipients/{recipient}/delete")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> removeRecipient(@PathParam("id") long id, @PathParam("recipient") long recipient) {
        return change(Uni.createFrom().deferred(() -> organisations.deleteRecipient(id, recipient)).replaceWith(id));
    }

    @POST
    @Path("users")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addUser(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam("role") String role) {
        return FormErrors.handle(Uni.createFrom().deferred(() -> users.add(username, password, role))
                .replaceWith(Response.seeOther(URI.create("/settings#users")).build()), this::page);
    }

    @POST
    @Path("users/{id}/delete")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> removeUser(@PathParam("id") long id) {
        return FormErrors.handle(Uni.createFrom().deferred(() -> users.remove(id, identity.getPrincipal().getName()))
                .replaceWith(Response.seeOther(URI.create("/settings#users")).build()), this::page);
    }

    /** Back to the organisation's section, or the page again with the reason the change was refused. */
    private Uni<Response> change(Uni<Long> organisation) {
        return FormErrors.handle(organisation.map(id -> Response.seeOther(URI.create("/settings#org-" + id)).build()),
                this::page);
    }

    private Uni<TemplateInstance> page(String error) {
        Viewer viewer = Viewer.of(identity, "settings");
        Uni<List<OrganisationDetail>> details = organisations.list().chain(list -> list.isEmpty()
                ? Uni.createFrom().item(List.<OrganisationDetail>of())
                : Multi.createFrom().iterable(list).onItem().transformToUniAndConcatenate(o -> organisations.get(o.id()))
                        .collect().asList());
        Uni<List<Users.UserView>> people = viewer.admin() ? users.list() : Uni.createFrom().item(List.of());
        return details.chain(orgs -> people.map(u -> Templates.settings(viewer, orgs, u, error)));
    }

    private static String pathDomain(String domain) {
        String name = DomainSyntax.toALabelOrNull(domain);
        if (name == null) {
            throw new NotFoundException("No domain " + domain);
        }
        return name;
    }
}
