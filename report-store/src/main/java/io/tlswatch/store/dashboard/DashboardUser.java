package io.tlswatch.store.dashboard;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A person who signs in to the dashboard. Quarkus Security JPA reads it at sign-in: {@code password}
 * is a bcrypt hash in Modular Crypt Format (its default {@code PasswordType.MCF}).
 */
@Entity
@Table(name = "dashboard_user")
@UserDefinition
public class DashboardUser extends PanacheEntityBase {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Username
    @Column(nullable = false)
    public String username;

    @Password
    @Column(nullable = false)
    public String password;

    /** {@link #ADMIN} or {@link #VIEWER}. */
    @Roles
    @Column(nullable = false)
    public String role;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;
}
