package io.tlswatch.store.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which registered domain owns each stored policy, kept right when domains come and go: a policy
 * belongs to the registered domain equal to its policy-domain or else to its closest registered
 * parent, and is unclaimed (domain_id null) when there is none. Report storing attributes new
 * policies; the statements here move stored ones when a domain is registered or deleted.
 *
 * <p>Every method runs on the caller's connection inside its transaction, so a domain and its claims
 * commit or roll back together. Call {@link #lock} first.
 */
public final class DomainClaims {

    private DomainClaims() {
    }

    /**
     * Serialises claim changes with each other and with report storing: SHARE ROW EXCLUSIVE on
     * report_policy conflicts with itself and with the ROW EXCLUSIVE lock a storing transaction holds
     * once it has inserted policies, so this waits for those to commit (their rows are then visible
     * to the claim) and holds new ones back until this transaction ends. Two registrations of a
     * domain and its parent cannot interleave either. Registration and deletion are rare admin
     * operations, so the brief pause of ingest is the cheaper price than a policy left unclaimed.
     */
    public static Uni<Void> lock(SqlConnection connection) {
        return connection.query("lock table report_policy in share row exclusive mode").execute().replaceWithVoid();
    }

    /**
     * Attributes to a just-registered domain every policy whose policy-domain equals it or lies below
     * it and that is unclaimed or attributed to a farther (shorter) registered parent.
     *
     * @return how many distinct reports had a policy claimed
     */
    public static Uni<Long> claim(SqlConnection connection, Domain domain) {
        // Unclaimed rows are found through the partial index report_policy_unclaimed (reversed name:
        // equal, or prefixed by the reversed "." + name); rows of a registered parent through
        // report_policy_domain_time. The two sets are disjoint (domain_id null or not).
        String reversed = new StringBuilder(domain.name()).reverse().toString();
        String belowPattern = escapeLike(new StringBuilder("." + domain.name()).reverse().toString()) + "%";
        return connection.preparedQuery("""
                        with unclaimed as (
                            update report_policy set domain_id = $1
                            where domain_id is null
                              and (reverse(policy_domain) = $3
                                   or reverse(policy_domain) like $4 escape '!')
                            returning report_id),
                        from_parent as (
                            update report_policy set domain_id = $1
                            where domain_id in (select p.id from domain p
                                                where right($2, length(p.name) + 1) = '.' || p.name)
                              and (reverse(policy_domain) = $3
                                   or reverse(policy_domain) like $4 escape '!')
                            returning report_id)
                        select count(distinct report_id)
                        from (select report_id from unclaimed union all select report_id from from_parent) claimed""")
                .execute(Tuple.of(domain.id(), domain.name(), reversed, belowPattern))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Before a domain is deleted: hands its policies to its closest remaining registered parent, or
     * leaves them unclaimed. (Nothing closer than the domain itself can be registered for them, or
     * they would already be attributed there.)
     *
     * @return how many policies moved
     */
    public static Uni<Integer> release(SqlConnection connection, Domain domain) {
        return connection.preparedQuery("""
                        update report_policy set domain_id = (
                            select p.id from domain p
                            where right($2, length(p.name) + 1) = '.' || p.name
                            order by length(p.name) desc limit 1)
                        where domain_id = $1""")
                .execute(Tuple.of(domain.id(), domain.name()))
                .map(rows -> rows.rowCount());
    }

    /**
     * Before an organisation is deleted (its domains go with it): hands each of its domains' policies
     * to the closest registered parent owned by another organisation, or leaves them unclaimed.
     *
     * @return how many policies moved
     */
    public static Uni<Integer> releaseOrganisation(SqlConnection connection, long organisationId) {
        // The parent is looked up once per domain of the organisation, then joined on domain_id.
        return connection.preparedQuery("""
                        with moves as (
                            select d.id as old_id,
                                   (select p.id from domain p
                                    where p.organisation_id <> $1
                                      and right(d.name, length(p.name) + 1) = '.' || p.name
                                    order by length(p.name) desc limit 1) as new_id
                            from domain d where d.organisation_id = $1)
                        update report_policy rp set domain_id = moves.new_id
                        from moves where rp.domain_id = moves.old_id""")
                .execute(Tuple.of(organisationId))
                .map(rows -> rows.rowCount());
    }

    /**
     * Escapes LIKE's special characters and the escape character itself with {@code !}, named in the
     * statement ({@code escape '!'}) rather than left to the backslash default, so what escapes is
     * visible where it is used. (Registered names are letters, digits, hyphens and dots; this is
     * defence in depth.)
     */
    static String escapeLike(String literal) {
        StringBuilder escaped = new StringBuilder(literal.length());
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '!' || c == '%' || c == '_') {
                escaped.append('!');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
