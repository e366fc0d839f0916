package io.tlswatch.store.problem;

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
}
