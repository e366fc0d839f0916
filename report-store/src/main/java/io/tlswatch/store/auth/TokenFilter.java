package io.tlswatch.store.auth;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.tlswatch.store.config.StoreConfig;
import io.tlswatch.store.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer tokens: the admin token for {@code /api/*}, the internal token for {@code /internal/*}.
 * Compared in constant time; a route whose token is not configured refuses everyone.
 */
@ApplicationScoped
public class TokenFilter {

    private final Optional<byte[]> adminToken;
    private final Optional<byte[]> internalToken;

    TokenFilter(StoreConfig config) {
        this.adminToken = config.adminToken().filter(t -> !t.isBlank()).map(TokenFilter::bytes);
        this.internalToken = config.internalToken().filter(t -> !t.isBlank()).map(TokenFilter::bytes);
    }

    void requireTokensInProduction(@Observes StartupEvent startup) {
        if (LaunchMode.current() == LaunchMode.NORMAL && (adminToken.isEmpty() || internalToken.isEmpty())) {
            throw new IllegalStateException("report-store needs both tokens: set TLSWATCH_ADMIN_TOKEN and "
                    + "TLSWATCH_INTERNAL_TOKEN (tlswatch.admin-token, tlswatch.internal-token)");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        // Normalised so that "//api/x" or "/API/x" cannot slip past the prefix check.
        String path = request.getUriInfo().getPath().replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT);
        Optional<byte[]> expected;
        if (path.startsWith("/api/")) {
            expected = adminToken;
        } else if (path.startsWith("/internal/")) {
            expected = internalToken;
        } else {
            return Optional.empty();
        }
        if (expected.isPresent() && matches(request.getHeaderString(HttpHeaders.AUTHORIZATION), expected.get())) {
            return Optional.empty();
        }
        return Optional.of(Problem.response(Response.Status.UNAUTHORIZED,
                "Missing or wrong bearer token", "Send Authorization: Bearer <token> for " + path)
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
