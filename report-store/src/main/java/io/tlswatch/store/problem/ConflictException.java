package io.tlswatch.store.problem;

import io.vertx.pgclient.PgException;
import java.util.List;

/** The request clashes with existing state (e.g. a domain another organisation owns). Mapped to 409. */
public class ConflictException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public ConflictException(String field, String message) {
        super(field + ": " + message);
        this.errors = List.of(new Problem.FieldError(field, message));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /**
     * A unique index refused the row (SQLSTATE 23505): the same row exists, perhaps inserted by a
     * concurrent request a moment ago. Callers turn it into their own {@code ConflictException}.
     */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
