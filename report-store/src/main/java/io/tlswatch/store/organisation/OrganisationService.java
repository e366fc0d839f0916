package io.tlswatch.store.organisation;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.domain.Domain;
import io.tlswatch.store.domain.DomainClaims;
import io.tlswatch.store.organisation.OrganisationApi.DomainView;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationDetail;
import io.tlswatch.store.organisation.OrganisationApi.OrganisationSummary;
import io.tlswatch.store.organisation.OrganisationApi.RecipientView;
import io.tlswatch.store.organisation.OrganisationApi.RegisteredDomain;
import io.tlswatch.store.problem.ConflictException;
import io.tlswatch.store.problem.NotFoundException;
import io.tlswatch.tlsrpt.DomainNames;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.JDBCException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Organisations, their domains and alert recipients. Takes values the resource has already
 * validated and normalised (names trimmed, domains and addresses in A-label form). Registering or
 * deleting a domain moves report attribution in the same transaction ({@link DomainClaims}).
 */
@ApplicationScoped
public class OrganisationService {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Clock clock;

    OrganisationService(Clock clock) {
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Organisation> create(String name) {
        Organisation organisation = new Organisation();
        organisation.name = name;
        organisation.createdAt = now();
        return organisation.persistAndFlush().replaceWith(organisation);
    }

    @WithSession
    public Uni<List<OrganisationSummary>> list() {
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                        select o.id, o.name, o.createdAt,
                            (select count(*) from Domain d where d.organisationId = o.id),
                            (select count(*) from AlertRecipient r where r.organisationId = o.id)
                        from Organisation o order by o.id""", Object[].class).getResultList())
                .map(rows -> rows.stream().map(row -> new OrganisationSummary((Long) row[0], (String) row[1],
                        (Instant) row[2], (Long) row[3], (Long) row[4])).toList());
    }

    @WithSession
    public Uni<OrganisationDetail> get(long id) {
        return require(id).chain(organisation -> domains(id).chain(domains -> recipients(id)
                .map(recipients -> {
                    List<String> names = domains.stream().map(d -> d.name).toList();
                    return new OrganisationDetail(organisation.id, organisation.name, organisation.createdAt,
                            domains.stream().map(DomainView::of).toList(),
                            recipients.stream().map(r -> RecipientView.of(r, names)).toList());
                })));
    }

    /** Deletes the organisation with its domains and recipients; their reports' policies move on first. */
    @WithTransaction
    public Uni<Void> delete(long id) {
        return Panache.getSession().chain(session -> DomainClaims.lock(session)
                .chain(() -> require(id))
                .chain(organisation -> DomainClaims.releaseOrganisation(session, id)
                        .chain(() -> organisation.delete())));
    }

    /** Registers a domain and claims its stored reports; 409 when any organisation has it already. */
    @WithTransaction
    public Uni<RegisteredDomain> addDomain(long organisationId, String name, boolean tlsReportingEnabled) {
        return Panache.getSession().chain(session -> DomainClaims.lock(session)
                .chain(() -> require(organisationId))
                // After the lock, so a concurrent registration of the same name has committed and shows here.
                .chain(() -> Domain.count("name", name))
                .chain(existing -> {
                    if (existing > 0) {
                        throw new ConflictException("name", name + " is already registered");
                    }
                    Domain domain = new Domain();
                    domain.organisationId = organisationId;
                    domain.name = name;
                    domain.tlsReportingEnabled = tlsReportingEnabled;
                    domain.createdAt = now();
                    return domain.persistAndFlush().replaceWith(domain);
                })
                .onFailure(OrganisationService::isUniqueViolation)
                .transform(e -> new ConflictException("name", name + " is already registered"))
                .chain(domain -> DomainClaims.claim(session, domain)
                        .chain(claimed -> recipients(organisationId).map(recipients -> {
                            List<String> inBand = recipients.stream().map(r -> r.address)
                                    .filter(a -> DomainNames.isSameOrSubdomain(AddressSyntax.domainOf(a), name))
                                    .toList();
                            return new RegisteredDomain(domain.name, domain.tlsReportingEnabled, domain.createdAt,
                                    claimed, inBand, inBand.stream().map(a -> InBand.warning(a, name)).toList());
                        }))));
    }

    @WithSession
    public Uni<List<DomainView>> listDomains(long organisationId) {
        return require(organisationId).chain(() -> domains(organisationId))
                .map(domains -> domains.stream().map(DomainView::of).toList());
    }

    @WithTransaction
    public Uni<DomainView> setTlsReporting(long organisationId, String name, boolean enabled) {
        return requireDomain(organisationId, name).map(domain -> {
            domain.tlsReportingEnabled = enabled;
            return DomainView.of(domain);
        });
    }

    /** Deletes a domain; its reports' policies go to its closest remaining registered parent, or none. */
    @WithTransaction
    public Uni<Void> deleteDomain(long organisationId, String name) {
        return Panache.getSession().chain(session -> DomainClaims.lock(session)
                .chain(() -> requireDomain(organisationId, name))
                // Release before the delete is flushed, or ON DELETE SET NULL would unclaim them first.
                .chain(domain -> DomainClaims.release(session, domain).chain(() -> domain.delete())));
    }

    /** Adds an alert recipient, with its in-band warnings; 409 when the organisation has it already. */
    @WithTransaction
    public Uni<RecipientView> addRecipient(long organisationId, String address) {
        return require(organisationId)
                .chain(() -> AlertRecipient.count("organisationId = ?1 and lower(address) = lower(?2)",
                        organisationId, address))
                .chain(existing -> {
                    if (existing > 0) {
                        throw duplicateRecipient(address);
                    }
                    AlertRecipient recipient = new AlertRecipient();
                    recipient.organisationId = organisationId;
                    recipient.address = address;
                    recipient.createdAt = now();
                    return recipient.persistAndFlush().replaceWith(recipient);
                })
                .onFailure(OrganisationService::isUniqueViolation).transform(e -> duplicateRecipient(address))
                .chain(recipient -> domainNames(organisationId).map(names -> RecipientView.of(recipient, names)));
    }

    @WithSession
    public Uni<List<RecipientView>> listRecipients(long organisationId) {
        return require(organisationId).chain(() -> domainNames(organisationId))
                .chain(names -> recipients(organisationId)
                        .map(recipients -> recipients.stream().map(r -> RecipientView.of(r, names)).toList()));
    }

    @WithTransaction
    public Uni<Void> deleteRecipient(long organisationId, long recipientId) {
        return require(organisationId)
                .chain(() -> AlertRecipient.delete("id = ?1 and organisationId = ?2", recipientId, organisationId))
                .invoke(deleted -> {
                    if (deleted == 0) {
                        throw new NotFoundException("Organisation " + organisationId + " has no alert recipient "
                                + recipientId);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Organisation> require(long id) {
        return Organisation.<Organisation>findById(id)
                .onItem().ifNull().failWith(() -> new NotFoundException("No organisation " + id));
    }

    private Uni<Domain> requireDomain(long organisationId, String name) {
        return require(organisationId)
                .chain(() -> Domain.find("organisationId = ?1 and name = ?2", organisationId, name)
                        .<Domain>firstResult())
                .onItem().ifNull().failWith(() -> new NotFoundException("Organisation " + organisationId
                        + " has no domain " + name));
    }

    private static Uni<List<Domain>> domains(long organisationId) {
        return Domain.list("organisationId = ?1 order by name", organisationId);
    }

    private static Uni<List<String>> domainNames(long organisationId) {
        return domains(organisationId).map(domains -> domains.stream().map(d -> d.name).toList());
    }

    private static Uni<List<AlertRecipient>> recipients(long organisationId) {
        return AlertRecipient.list("organisationId = ?1 order by id", organisationId);
    }

    /** As PostgreSQL stores it (microseconds), so what a create answers equals what a read answers. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ConflictException duplicateRecipient(String address) {
        return new ConflictException("address", address + " is already an alert recipient of this organisation");
    }

    /** A unique index refused the row: a concurrent request inserted the same one first. */
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                    || t instanceof JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
