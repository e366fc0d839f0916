package io.tlswatch.store.problem;

/** The addressed resource does not exist. Mapped to 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
