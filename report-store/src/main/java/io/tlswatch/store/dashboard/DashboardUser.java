package io.tlswatch.store.dashboard;

/** The dashboard's roles: a row of {@code dashboard_user} has one of them. */
public final class DashboardUser {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    private DashboardUser() {
    }
}
