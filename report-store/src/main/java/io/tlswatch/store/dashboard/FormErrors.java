package io.tlswatch.store.dashboard;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.ConflictException;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;

/**
 * A dashboard form that the organisation rules refuse is shown again with the reason, the same words the
 * API gives, instead of an API problem document.
 */
final class FormErrors {

    private FormErrors() {
    }

    static Uni<Response> handle(Uni<Response> action, Function<String, Uni<TemplateInstance>> pageWithError) {
        return action.onFailure(FormErrors::isRefusal).recoverWithUni(failure -> pageWithError
                .apply(message(failure))
                .map(page -> Response.status(status(failure)).type(MediaType.TEXT_HTML_TYPE)
                        .entity(page.render()).build()));
    }

    private static boolean isRefusal(Throwable failure) {
        return failure instanceof InvalidRequestException || failure instanceof ConflictException
                || failure instanceof NotFoundException;
    }

    private static int status(Throwable failure) {
        if (failure instanceof ConflictException) {
            return 409;
        }
        return failure instanceof NotFoundException ? 404 : 400;
    }

    /** The reasons alone: people read the form, not the field names. */
    static String message(Throwable failure) {
        if (failure instanceof InvalidRequestException invalid) {
            return String.join("; ", invalid.errors().stream().map(e -> e.message()).toList());
        }
        if (failure instanceof ConflictException conflict) {
            return String.join("; ", conflict.errors().stream().map(e -> e.message()).toList());
        }
        return failure.getMessage();
    }
}
