package io.tlswatch.store.dashboard;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Who a dashboard request is, from {@code dashboard_user}: the form sign-in's name and password
 * (checked against the bcrypt hash), and on every later request the name in the session cookie
 * (looked up again, so a removed user is signed out and a changed role applies at once).
 */
final class UserIdentities {

    private static final String FIND = "select password, role from dashboard_user where username = $1";
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private UserIdentities() {
    }

    @ApplicationScoped
    static class SignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final Pool pool;
        private final FirstAdmin firstAdmin;

        SignIn(Pool pool, FirstAdmin firstAdmin) {
            this.pool = pool;
            this.firstAdmin = firstAdmin;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                AuthenticationRequestContext context) {
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            // bcrypt is slow on purpose: on a worker thread, never the event loop.
            return context.runBlocking(() -> {
                firstAdmin.awaitSet(QUERY_TIMEOUT);
                Row user = find(pool, username);
                boolean matches = BcryptUtil.matches(password,
                        user == null ? UnknownUser.HASH : user.getString("password"));
                if (user == null || !matches) {
                    throw new AuthenticationFailedException("wrong name or password");
                }
                return identity(username, user);
            });
        }
    }

    @ApplicationScoped
    static class Session implements IdentityProvider<TrustedAuthenticationRequest> {

        private final Pool pool;

        Session(Pool pool) {
            this.pool = pool;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                AuthenticationRequestContext context) {
            return pool.preparedQuery(FIND).execute(Tuple.of(request.getPrincipal())).map(rows -> {
                if (rows.size() == 0) {
                    throw new AuthenticationFailedException("no such user");
                }
                return identity(request.getPrincipal(), rows.iterator().next());
            });
        }
    }

    /** Compared against when the name is unknown, so an unknown name takes as long as a wrong password. */
    private static final class UnknownUser {
        // In a holder: made at the first sign-in with an unknown name (on a worker thread), not at start-up.
        static final String HASH = BcryptUtil.bcryptHash("no such user");
    }

    private static Row find(Pool pool, String username) {
        var rows = pool.preparedQuery(FIND).execute(Tuple.of(username)).await().atMost(QUERY_TIMEOUT);
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private static SecurityIdentity identity(String username, Row user) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(username))
                .addRole(user.getString("role")).build();
    }
}
