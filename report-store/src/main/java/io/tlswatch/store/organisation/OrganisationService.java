package io.tlswatch.store.organisation;

import static io.tlswatch.store.config.Timestamps.utc;

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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Organisations, their domains and alert recipients. Takes values the resource has already
 * validated and normalised (names trimmed, domains and addresses in A-label form). Registering or
 * deleting a domain moves report attribution in the same transaction ({@link DomainClaims}).
 */
@ApplicationScoped
public class OrganisationService {

    private final Pool pool;
    private final Clock clock;

    OrganisationService(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<Organisation> create(String name) {
        return pool.preparedQuery("insert into organisation (name, created_at) values ($1, $2) returning "
                        + Organisation.COLUMNS)
                .execute(Tuple.of(name, utc(now())))
                .map(rows -> Organisation.of(rows.iterator().next()));
    }

    public Uni<List<OrganisationSummary>> list() {
        return pool.query("""
                        select o.id, o.name, o.created_at,
                            (select count(*) from domain d where d.organisation_id = o.id) as domains,
                            (select count(*) from alert_recipient r where r.organisation_id = o.id) as recipients
                        from organisation o order by o.id""").execute()
                .map(rows -> all(rows, row -> new OrganisationSummary(row.getLong("id"), row.getString("name"),
                        row.getOffsetDateTime("created_at").toInstant(), row.getLong("domains"),
                        row.getLong("recipients"))));
    }

    public Uni<OrganisationDetail> get(long id) {
        return require(pool, id).chain(organisation -> domains(pool, id).chain(domains -> recipients(pool, id)
                .map(recipients -> {
                    List<String> names = domains.stream().map(Domain::name).toList();
                    return new OrganisationDetail(organisation.id(), organisation.name(), organisation.createdAt(),
                            domains.stream().map(DomainView::of).toList(),
                            recipients.stream().map(r -> RecipientView.of(r, names)).toList());
                })));
    }

    /** Deletes the organisation with its domains and recipients; their reports' policies move on first. */
    public Uni<Void> delete(long id) {
        return pool.withTransaction(connection -> DomainClaims.lock(connection)
                .chain(() -> require(connection, id))
                .chain(() -> DomainClaims.releaseOrganisation(connection, id))
                // Domains and recipients go with it (on delete cascade).
                .chain(() -> connection.preparedQuery("delete from organisation where id = $1").execute(Tuple.of(id)))
                .replaceWithVoid());
    }

    /** Registers a domain and claims its stored reports; 409 when any organisation has it already. */
    public Uni<RegisteredDomain> addDomain(long organisationId, String name, boolean tlsReportingEnabled) {
        return pool.withTransaction(connection -> DomainClaims.lock(connection)
                .chain(() -> require(connection, organisationId))
                // After the lock, so a concurrent registration of the same name has committed and shows here.
                .chain(() -> connection.preparedQuery("select 1 from domain where name = $1").execute(Tuple.of(name)))
                .chain(existing -> {
                    if (existing.size() > 0) {
                        throw new ConflictException("name", name + " is already registered");
                    }
                    return connection.preparedQuery("insert into domain (organisation_id, name, tls_reporting_enabled, "
                                    + "created_at) values ($1, $2, $3, $4) returning " + Domain.COLUMNS)
                            .execute(Tuple.of(organisationId, name, tlsReportingEnabled, utc(now())))
                            .map(rows -> Domain.of(rows.iterator().next()));
                })
                .onFailure(ConflictException::isUniqueViolation)
                .transform(e -> new ConflictException("name", name + " is already registered"))
                .chain(domain -> DomainClaims.claim(connection, domain)
                        .chain(claimed -> recipients(connection, organisationId).map(recipients -> {
                            List<String> inBand = recipients.stream().map(AlertRecipient::address)
                                    .filter(a -> DomainNames.isSameOrSubdomain(AddressSyntax.domainOf(a), name))
                                    .toList();
                            return new RegisteredDomain(domain.name(), domain.tlsReportingEnabled(), domain.createdAt(),
                                    claimed, inBand, inBand.stream().map(a -> InBand.warning(a, name)).toList());
                        }))));
    }

    public Uni<List<DomainView>> listDomains(long organisationId) {
        return require(pool, organisationId).chain(() -> domains(pool, organisationId))
                .map(domains -> domains.stream().map(DomainView::of).toList());
    }

    public Uni<DomainView> setTlsReporting(long organisationId, String name, boolean enabled) {
        return pool.withTransaction(connection -> requireDomain(connection, organisationId, name)
                .chain(domain -> connection.preparedQuery("update domain set tls_reporting_enabled = $2 where id = $1")
                        .execute(Tuple.of(domain.id(), enabled))
                        .map(updated -> DomainView.of(domain.withTlsReporting(enabled)))));
    }

    /** Deletes a domain; its reports' policies go to its closest remaining registered parent, or none. */
    public Uni<Void> deleteDomain(long organisationId, String name) {
        return pool.withTransaction(connection -> DomainClaims.lock(connection)
                .chain(() -> requireDomain(connection, organisationId, name))
                // Release before the delete, or ON DELETE SET NULL would unclaim them first.
                .chain(domain -> DomainClaims.release(connection, domain)
                        .chain(() -> connection.preparedQuery("delete from domain where id = $1")
                                .execute(Tuple.of(domain.id()))))
                .replaceWithVoid());
    }

    /** Adds an alert recipient, with its in-band warnings; 409 when the organisation has it already. */
    public Uni<RecipientView> addRecipient(long organisationId, String address) {
        return pool.withTransaction(connection -> require(connection, organisationId)
                .chain(() -> connection.preparedQuery(
                                "select 1 from alert_recipient where organisation_id = $1 and lower(address) = lower($2)")
                        .execute(Tuple.of(organisationId, address)))
                .chain(existing -> {
                    if (existing.size() > 0) {
                        throw duplicateRecipient(address);
                    }
                    return connection.preparedQuery("insert into alert_recipient (organisation_id, address, created_at) "
                                    + "values ($1, $2, $3) returning " + AlertRecipient.COLUMNS)
                            .execute(Tuple.of(organisationId, address, utc(now())))
                            .map(rows -> AlertRecipient.of(rows.iterator().next()));
                })
                .onFailure(ConflictException::isUniqueViolation).transform(e -> duplicateRecipient(address))
                .chain(recipient -> domainNames(connection, organisationId)
                        .map(names -> RecipientView.of(recipient, names))));
    }

    public Uni<List<RecipientView>> listRecipients(long organisationId) {
        return require(pool, organisationId).chain(() -> domainNames(pool, organisationId))
                .chain(names -> recipients(pool, organisationId)
                        .map(recipients -> recipients.stream().map(r -> RecipientView.of(r, names)).toList()));
    }

    public Uni<Void> deleteRecipient(long organisationId, long recipientId) {
        return require(pool, organisationId)
                .chain(() -> pool.preparedQuery("delete from alert_recipient where id = $1 and organisation_id = $2")
                        .execute(Tuple.of(recipientId, organisationId)))
                .invoke(deleted -> {
                    if (deleted.rowCount() == 0) {
                        throw new NotFoundException("Organisation " + organisationId + " has no alert recipient "
                                + recipientId);
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Organisation> require(SqlClient client, long id) {
        return client.preparedQuery("select " + Organisation.COLUMNS + " from organisation where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("No organisation " + id);
                    }
                    return Organisation.of(rows.iterator().next());
                });
    }

    private static Uni<Domain> requireDomain(SqlConnection connection, long organisationId, String name) {
        return require(connection, organisationId)
                .chain(() -> connection.preparedQuery("select " + Domain.COLUMNS
                                + " from domain where organisation_id = $1 and name = $2")
                        .execute(Tuple.of(organisationId, name)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("Organisation " + organisationId + " has no domain " + name);
                    }
                    return Domain.of(rows.iterator().next());
                });
    }

    private static Uni<List<Domain>> domains(SqlClient client, long organisationId) {
        return client.preparedQuery("select " + Domain.COLUMNS + " from domain where organisation_id = $1 order by name")
                .execute(Tuple.of(organisationId)).map(rows -> all(rows, Domain::of));
    }

    private static Uni<List<String>> domainNames(SqlClient client, long organisationId) {
        return domains(client, organisationId).map(domains -> domains.stream().map(Domain::name).toList());
    }

    private static Uni<List<AlertRecipient>> recipients(SqlClient client, long organisationId) {
        return client.preparedQuery("select " + AlertRecipient.COLUMNS
                        + " from alert_recipient where organisation_id = $1 order by id")
                .execute(Tuple.of(organisationId)).map(rows -> all(rows, AlertRecipient::of));
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(mapper.apply(row)));
        return items;
    }

    /** As PostgreSQL stores it (microseconds), so what a create answers equals what a read answers. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ConflictException duplicateRecipient(String address) {
        return new ConflictException("address", address + " is already an alert recipient of this organisation");
    }
}
