package io.tlswatch.store.dashboard;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is looking, for the page header and to hide the forms a viewer may not post (the server refuses
 * them anyway: every change is {@code @RolesAllowed("admin")}).
 */
public record Viewer(String name, boolean admin, String section) {

    static Viewer of(SecurityIdentity identity, String section) {
        return new Viewer(identity.getPrincipal().getName(), identity.hasRole(DashboardUser.ADMIN), section);
    }
}
