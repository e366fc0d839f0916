package io.tlswatch.store.dashboard;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.tlswatch.store.config.StoreConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Two guards Quarkus' form sign-in does not offer by configuration:
 * <ul>
 * <li>every cookie this service sets (the session and the CSRF token) is {@code Secure} unless
 * {@code tlswatch.dashboard.secure-cookies} is off; Quarkus itself marks them Secure only when the request
 * reached it over TLS, which behind a TLS-terminating ingress it did not;</li>
 * <li>the sign-in form post ({@code /j_security_check}) is refused from another site's page (its
 * {@code Origin} names neither the host the request reached nor that of {@code tlswatch.dashboard-url}),
 * which Quarkus' CSRF filter cannot cover: it is not a REST route.</li>
 * </ul>
 */
@ApplicationScoped
class SecureCookies {

    static final String SIGN_IN_POST = "/j_security_check";

    private final boolean secure;
    /** The public host people sign in at, when a proxy in front rewrites the Host header. */
    private final String dashboardHost;

    SecureCookies(StoreConfig config) {
        this.secure = config.dashboard().secureCookies();
        this.dashboardHost = config.dashboardUrl().map(SecureCookies::hostOf).orElse(null);
    }

    private static String hostOf(String url) {
        try {
            return URI.create(url.strip()).getHost();
        } catch (IllegalArgumentException notAUrl) {
            return null;
        }
    }

    /** Ahead of the authentication handler, which answers the sign-in post itself. */
    void register(@Observes Filters filters) {
        filters.register(this::filter, 2_000);
    }

    void filter(RoutingContext context) {
        if (context.request().method() == HttpMethod.POST && SIGN_IN_POST.equals(context.normalizedPath())
                && !sameOrigin(context)) {
            context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end("Sign in from the sign-in page of this site.");
            return;
        }
        if (secure) {
            context.addHeadersEndHandler(ignored -> markSecure(context));
        }
        context.next();
    }

    /** Runs before Vert.x writes its cookie jar into headers, so both kinds of cookie are covered. */
    private static void markSecure(RoutingContext context) {
        for (Cookie cookie : context.request().cookies()) {
            if (cookie instanceof ServerCookie server && server.isChanged()) {
                cookie.setSecure(true);
            }
        }
        List<String> headers = context.response().headers().getAll(HttpHeaders.SET_COOKIE);
        if (headers.isEmpty()) {
            return;
        }
        context.response().headers().remove(HttpHeaders.SET_COOKIE);
        for (String header : headers) {
            boolean marked = header.toLowerCase(Locale.ROOT).matches("(?s).*;\\s*secure\\s*(;.*)?");
            context.response().headers().add(HttpHeaders.SET_COOKIE, marked ? header : header + "; Secure");
        }
    }

    /** No Origin (an old browser, a script) passes; the SameSite session cookie still guards the rest. */
    private boolean sameOrigin(RoutingContext context) {
        String origin = context.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || origin.isBlank()) {
            return true;
        }
        try {
            URI uri = URI.create(origin.strip());
            String host = context.request().authority() == null ? null : context.request().authority().host();
            return uri.getHost() != null && (uri.getHost().equalsIgnoreCase(host)
                    || uri.getHost().equalsIgnoreCase(dashboardHost));
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }
}
