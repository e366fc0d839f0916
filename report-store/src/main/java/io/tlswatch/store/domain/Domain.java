package io.tlswatch.store.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A monitored domain (lower-case A-label). Reports for it and its subdomains are attributed to it. */
@Entity
@Table(name = "domain")
public class Domain extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "organisation_id", nullable = false)
    public Long organisationId;

    @Column(nullable = false)
    public String name;

    /** Off: reports are still stored and shown, but never alerted. */
    @Column(name = "tls_reporting_enabled", nullable = false)
    public boolean tlsReportingEnabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
