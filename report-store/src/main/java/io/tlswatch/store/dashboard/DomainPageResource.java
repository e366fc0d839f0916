package io.tlswatch.store.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.alert.AlertPage;
import io.tlswatch.store.alert.AlertService;
import io.tlswatch.store.domain.DomainDetail;
import io.tlswatch.store.domain.DomainQueries;
import io.tlswatch.store.problem.NotFoundException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * One domain, where an alert's link lands ({@code <dashboard-url>/domains/<domain>}): sessions per day over
 * 30 days, where the failures come from, the policy the senders saw, the likely causes, the alert history
 * and the {@code _smtp._tls} record to publish.
 */
@Path("/domains/{domain}")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({DashboardUser.ADMIN, DashboardUser.VIEWER})
public class DomainPageResource {

    static final int DAYS = 30;
    static final int ALERTS = 20;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance domain(Viewer viewer, DomainDetail detail, SessionChart chart,
                DomainHints hints, AlertPage alerts);

        static native TemplateInstance notFound(Viewer viewer, String domain);
    }

    private final DomainQueries domains;
    private final AlertService alerts;
    private final SecurityIdentity identity;

    DomainPageResource(DomainQueries domains, AlertService alerts, SecurityIdentity identity) {
        this.domains = domains;
        this.alerts = alerts;
        this.identity = identity;
    }

    @GET
    public Uni<Response> domain(@PathParam("domain") String domain) {
        Viewer viewer = Viewer.of(identity, "domains");
        return Uni.createFrom().deferred(() -> Uni.combine().all()
                        .unis(domains.detail(domain, DAYS), alerts.history(domain, 0, ALERTS)).asTuple())
                .map(t -> Response.ok(Templates.domain(viewer, t.getItem1(),
                        SessionChart.of(t.getItem1().byDay(), t.getItem1().periodStart(), t.getItem1().periodEnd()),
                        DomainHints.of(t.getItem1()), t.getItem2())).build())
                .onFailure(NotFoundException.class).recoverWithItem(() -> Response.status(404)
                        .entity(Templates.notFound(viewer, domain)).build());
    }
}
