package io.tlswatch.store.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The sign-in page and sign-out. Quarkus' form authentication checks the credentials posted to
 * {@code /j_security_check} against {@link DashboardUser} and keeps the session in an encrypted cookie.
 */
@Path("/")
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean failed, boolean signedOut);
    }

    @GET
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance login(@QueryParam("error") String error, @QueryParam("signed-out") String signedOut) {
        return Templates.login(error != null, signedOut != null);
    }

    /** A form post with the CSRF token, so another site cannot sign a user out. */
    @POST
    @Path("logout")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@Context RoutingContext context) {
        FormAuthenticationMechanism.logout(context);
        return Response.seeOther(URI.create("/login?signed-out=1")).build();
    }
}
