package io.tlswatch.store.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.domain.DomainQueries;
import io.tlswatch.store.domain.DomainStatus;
import io.tlswatch.store.domain.UnclaimedDomain;
import io.tlswatch.store.organisation.DomainSyntax;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationSummary;
import io.tlswatch.store.organisation.OrganisationService;
import io.tlswatch.store.problem.InvalidRequestException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Domains at a glance (failing first), and the unclaimed policy-domains with a form to claim each. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({DashboardUser.ADMIN, DashboardUser.VIEWER})
public class OverviewResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(Viewer viewer, List<DomainStatus> domains, long failing,
                List<UnclaimedDomain> unclaimed, long unclaimedReports, List<OrganisationSummary> organisations,
                String error);
    }

    private final DomainQueries domains;
    private final OrganisationService organisations;
    private final SecurityIdentity identity;

    OverviewResource(DomainQueries domains, OrganisationService organisations, SecurityIdentity identity) {
        this.domains = domains;
        this.organisations = organisations;
        this.identity = identity;
    }

    @GET
    public Uni<TemplateInstance> overview() {
        return page(null);
    }

    /** Registers an unclaimed policy-domain to an organisation; its stored reports become its own. */
    @POST
    @Path("claims")
    @RolesAllowed(DashboardUser.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> claim(@FormParam("domain") String domain, @FormParam("organisation") Long organisation) {
        return FormErrors.handle(Uni.createFrom().deferred(() -> {
                    String name = DomainSyntax.toALabel("domain", domain);
                    if (organisation == null) {
                        throw new InvalidRequestException("organisation",
                                "choose the organisation that owns " + name);
                    }
                    return organisations.addDomain(organisation, name, true);
                })
                .map(registered -> Response.seeOther(URI.create("/domains/" + Fmt.url(registered.name()))).build()),
                this::page);
    }

    private Uni<TemplateInstance> page(String error) {
        return Uni.combine().all().unis(domains.statuses(), domains.unclaimed(), organisations.list()).asTuple()
                .map(t -> Templates.overview(Viewer.of(identity, "domains"), t.getItem1(),
                        t.getItem1().stream().filter(s -> DomainStatus.FAILING.equals(s.state())).count(),
                        t.getItem2(), t.getItem2().stream().mapToLong(UnclaimedDomain::reports).sum(), t.getItem3(),
                        error));
    }
}
