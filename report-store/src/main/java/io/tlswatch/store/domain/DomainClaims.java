package io.tlswatch.store.domain;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Which registered domain owns each stored policy, kept right when domains come and go: a policy
 * belongs to the registered domain equal to its policy-domain or else to its closest registered
 * parent, and is unclaimed (domain_id null) when there is none. Report storing attributes new
 * policies; the statements here move stored ones when a domain is registered or deleted.
 *
 * <p>Every method runs in the caller's Hibernate Reactive transaction (native queries on its
 * session), so a domain and its claims commit or roll back together. Call {@link #lock} first.
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
    public static Uni<Void> lock(Mutiny.Session session) {
        return session.createNativeQuery("lock table report_policy in share row exclusive mode")
                .executeUpdate().replaceWithVoid();
    }

    /**
     * Attributes to a just-registered domain every policy whose policy-domain equals it or lies below
     * it and that is unclaimed or attributed to a farther (shorter) registered parent.
     *
     * @return how many distinct reports had a policy claimed
     */
    public static Uni<Long> claim(Mutiny.Session session, Domain domain) {
        // Unclaimed rows are found through the partial index report_policy_unclaimed (reversed name:
        // equal, or prefixed by the reversed "." + name); rows of a registered parent through
        // report_policy_domain_time. The two sets are disjoint (domain_id null or not).
        String reversed = new StringBuilder(domain.name).reverse().toString();
        String belowPattern = escapeLike(new StringBuilder("." + domain.name).reverse().toString()) + "%";
        return session.<Long>createNativeQuery("""
                        with unclaimed as (
                            update report_policy set domain_id = :id
                            where domain_id is null
                              and (reverse(policy_domain) = :reversed
                                   or reverse(policy_domain) like :below escape '!')
                            returning report_id),
                        from_parent as (
                            update report_policy set domain_id = :id
                            where domain_id in (select p.id from domain p
                                                where right(:name, length(p.name) + 1) = '.' || p.name)
                              and (reverse(policy_domain) = :reversed
                                   or reverse(policy_domain) like :below escape '!')
                            returning report_id)
                        select count(distinct report_id)
                        from (select report_id from unclaimed union all select report_id from from_parent) claimed""",
                        Long.class)
                .setParameter("id", domain.id)
                .setParameter("name", domain.name)
                .setParameter("reversed", reversed)
                .setParameter("below", belowPattern)
                .getSingleResult();
    }

    /**
     * Before a domain is deleted: hands its policies to its closest remaining registered parent, or
     * leaves them unclaimed. (Nothing closer than the domain itself can be registered for them, or
     * they would already be attributed there.)
     *
     * @return how many policies moved
     */
    public static Uni<Integer> release(Mutiny.Session session, Domain domain) {
        return session.createNativeQuery("""
                        update report_policy set domain_id = (
                            select p.id from domain p
                            where right(:name, length(p.name) + 1) = '.' || p.name
                            order by length(p.name) desc limit 1)
                        where domain_id = :id""")
                .setParameter("id", domain.id)
                .setParameter("name", domain.name)
                .executeUpdate();
    }

    /**
     * Before an organisation is deleted (its domains go with it): hands each of its domains' policies
     * to the closest registered parent owned by another organisation, or leaves them unclaimed.
     *
     * @return how many policies moved
     */
    public static Uni<Integer> releaseOrganisation(Mutiny.Session session, long organisationId) {
        // The parent is looked up once per domain of the organisation, then joined on domain_id.
        return session.createNativeQuery("""
                        with moves as (
                            select d.id as old_id,
                                   (select p.id from domain p
                                    where p.organisation_id <> :organisation
                                      and right(d.name, length(p.name) + 1) = '.' || p.name
                                    order by length(p.name) desc limit 1) as new_id
                            from domain d where d.organisation_id = :organisation)
                        update report_policy rp set domain_id = moves.new_id
                        from moves where rp.domain_id = moves.old_id""")
                .setParameter("organisation", organisationId)
                .executeUpdate();
    }

    /**
     * Escapes LIKE's special characters and the escape character itself with {@code !}. Not a
     * backslash, which Hibernate's native-query parser and string-literal settings would both have
     * a say in. (Registered names are letters, digits, hyphens and dots; this is defence in depth.)
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
