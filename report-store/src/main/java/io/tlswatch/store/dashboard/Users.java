package io.tlswatch.store.dashboard;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tlswatch.store.problem.ConflictException;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The dashboard's people: admins add and remove them on the settings page. */
@ApplicationScoped
public class Users {

    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_NAME_LENGTH = 100;

    /** A user as the settings page lists it: never the hash. */
    public record UserView(long id, String username, String role) {
    }

    private final Pool pool;

    Users(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<UserView>> list() {
        return pool.query("select id, username, role from dashboard_user order by username").execute().map(rows -> {
            List<UserView> users = new ArrayList<>(rows.size());
            for (Row row : rows) {
                users.add(new UserView(row.getLong("id"), row.getString("username"), row.getString("role")));
            }
            return users;
        });
    }

    public Uni<Void> add(String username, String password, String role) {
        String name = username == null ? "" : username.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("username", "give a name of 1 to " + MAX_NAME_LENGTH
                    + " characters, without control characters");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidRequestException("password", "use at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (!DashboardUser.ADMIN.equals(role) && !DashboardUser.VIEWER.equals(role)) {
            throw new InvalidRequestException("role", "admin or viewer");
        }
        // Hashed on a worker thread: bcrypt takes a good fraction of a second, too long for the event loop.
        return Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(hash -> pool.preparedQuery("insert into dashboard_user (username, password, role) values ($1, $2, $3)")
                        .execute(Tuple.of(name, hash, role)))
                .onFailure(ConflictException::isUniqueViolation)
                .transform(e -> new ConflictException("username", name + " already has an account"))
                .replaceWithVoid();
    }

    /** Removes a user other than the one asking, so an admin cannot lock everyone out by mistake. */
    public Uni<Void> remove(long id, String askingUser) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("select username from dashboard_user where id = $1 for update").execute(Tuple.of(id))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("no user " + id);
                    }
                    if (rows.iterator().next().getString("username").equals(askingUser)) {
                        throw new InvalidRequestException("user", "you cannot remove your own account");
                    }
                    return connection.preparedQuery("delete from dashboard_user where id = $1").execute(Tuple.of(id));
                }))
                .replaceWithVoid();
    }
}
