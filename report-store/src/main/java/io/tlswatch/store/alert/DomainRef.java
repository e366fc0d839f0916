package io.tlswatch.store.alert;

import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.tlsrpt.DomainNames;

/** A registered domain named by its id or by its name (canonical form: lower-case A-label, no trailing dot). */
record DomainRef(Long id, String name) {

    static DomainRef of(String name, Long id, String field) {
        if (id != null) {
            return new DomainRef(id, null);
        }
        String canonical = DomainNames.normalise(name);
        if (canonical == null) {
            throw new InvalidRequestException(field, "missing: give the domain's name or its id");
        }
        return new DomainRef(null, canonical);
    }

    /** A path segment: all digits is an id (no domain name is all digits), anything else a name. */
    static DomainRef parse(String segment) {
        if (segment != null && !segment.isEmpty() && segment.chars().allMatch(Character::isDigit)
                && segment.length() < 19) {
            return new DomainRef(Long.parseLong(segment), null);
        }
        return of(segment, null, "domain");
    }

    /** The where-condition on {@code domain d} and its one parameter. */
    String condition() {
        return id != null ? "d.id = $1" : "d.name = $1";
    }

    Object parameter() {
        return id != null ? id : name;
    }

    @Override
    public String toString() {
        return id != null ? "domain id " + id : name;
    }
}
