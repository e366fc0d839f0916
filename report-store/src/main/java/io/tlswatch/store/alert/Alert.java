package io.tlswatch.store.alert;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One alert slot of a domain: claimed by a sweep, then sent, failed (released for a retry) or
 * no-recipients. A sent alert starts the suppression window; a failed one (or no-recipients) never
 * does. {@link AlertService} holds the rules.
 */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {

    public static final String CLAIMED = "claimed";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String NO_RECIPIENTS = "no-recipients";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "domain_id", nullable = false)
    public Long domainId;

    @Column(nullable = false)
    public String status;

    @Column(name = "claimed_at", nullable = false)
    public Instant claimedAt;

    @Column(name = "lease_expires_at", nullable = false)
    public Instant leaseExpiresAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "recipients")
    public String[] recipients;

    @Column(name = "message_id")
    public String messageId;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "retry_at")
    public Instant retryAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "failed_sessions")
    public Long failedSessions;

    /** The fencing token of the claim that holds (or last held) this alert; new on every claim. */
    @Column(name = "claim_token")
    public UUID claimToken;
}
