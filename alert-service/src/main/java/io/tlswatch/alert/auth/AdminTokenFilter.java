package io.tlswatch.alert.auth;

import io.tlswatch.alert.config.AlertConfig;
import io.tlswatch.alert.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code /api/*} needs {@code Authorization: Bearer <admin token>}, compared in constant time (as in
 * report-store). Without a configured token the routes refuse everyone; production refuses to start
 * without one ({@link io.tlswatch.alert.config.ProductionChecks}).
 */
@ApplicationScoped
public class AdminTokenFilter {

    private final Optional<byte[]> adminToken;

    AdminTokenFilter(AlertConfig config) {
        this.adminToken = config.adminToken().filter(t -> !t.isBlank()).map(AdminTokenFilter::bytes);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        // Normalised so that "//api/x" or "/API/x" cannot slip past the prefix check.
        String path = request.getUriInfo().getPath().replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT);
        if (!path.startsWith("/api/") && !path.equals("/api")) {
            return Optional.empty();
        }
        if (adminToken.isPresent() && matches(request.getHeaderString(HttpHeaders.AUTHORIZATION), adminToken.get())) {
            return Optional.empty();
        }
        return Optional.of(Problem.response(Response.Status.UNAUTHORIZED, "Missing or wrong bearer token",
                "Send Authorization: Bearer <admin token> for " + path)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tlswatch\"").build());
    }

    private static boolean matches(String authorization, byte[] expected) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(bytes(authorization.substring(7).strip()), expected);
    }

    private static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.UTF_8);
    }
}
