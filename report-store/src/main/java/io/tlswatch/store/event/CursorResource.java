package io.tlswatch.store.event;

import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.tlsrpt.alerting.Cursor;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;

/** Durable, monotonic cursors of consumers such as alert-service's sweep (internal token). */
@Path("/internal/v1/cursors/{name}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CursorResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final ConsumerCursors cursors;

    CursorResource(ConsumerCursors cursors) {
        this.cursors = cursors;
    }

    /** {@code {"name", "position", "updated-at"}}; position 0 and updated-at null when never set. */
    @GET
    public Uni<Cursor> get(@PathParam("name") String name) {
        return cursors.get(validName(name));
    }

    /** Moves the cursor forward to {@code position}; a lower one is ignored. Answers the cursor as it is now. */
    @PUT
    public Uni<Cursor> put(@PathParam("name") String name, Cursor.Update update) {
        String valid = validName(name);
        if (update == null || update.position() == null) {
            throw new InvalidRequestException("position", "missing");
        }
        if (update.position() < 0) {
            throw new InvalidRequestException("position", "must not be negative");
        }
        return cursors.advance(valid, update.position());
    }

    private static String validName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name", "1 to 100 letters, digits, '.', '_' or '-'");
        }
        return name;
    }
}
