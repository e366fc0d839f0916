package io.tlswatch.store.dashboard;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.ConflictException;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The dashboard's people: admins add and remove them on the settings page. */
@ApplicationScoped
public class Users {

    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_NAME_LENGTH = 100;

    /** A user as the settings page lists it: never the hash. */
    public record UserView(long id, String username, String role) {
    }

    @WithSession
    public Uni<List<UserView>> list() {
        return DashboardUser.<DashboardUser>list("order by username")
                .map(users -> users.stream().map(u -> new UserView(u.id, u.username, u.role)).toList());
    }

    @WithTransaction
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
        return DashboardUser.count("username", name).chain(existing -> {
            if (existing > 0) {
                throw new ConflictException("username", name + " already has an account");
            }
            DashboardUser user = new DashboardUser();
            user.username = name;
            user.password = BcryptUtil.bcryptHash(password);
            user.role = role;
            return user.persist().replaceWithVoid();
        });
    }

    /** Removes a user other than the one asking, so an admin cannot lock everyone out by mistake. */
    @WithTransaction
    public Uni<Void> remove(long id, String askingUser) {
        return DashboardUser.<DashboardUser>findById(id).chain(user -> {
            if (user == null) {
                throw new NotFoundException("no user " + id);
            }
            if (user.username.equals(askingUser)) {
                throw new InvalidRequestException("user", "you cannot remove your own account");
            }
            return user.delete();
        });
    }
}
