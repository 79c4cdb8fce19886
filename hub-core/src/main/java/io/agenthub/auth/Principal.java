package io.agenthub.auth;

import io.agenthub.error.HubException;
import java.util.Objects;

/** The authenticated caller. The id comes from the credential, never from a request body. */
public record Principal(String id, Role role) {
    /** The id under which the admin token acts. */
    public static final String ADMIN_ID = "admin";

    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Fails with {@link HubException.Forbidden} unless this principal may write. */
    public Principal requireWriter() {
        if (!role.canWrite()) {
            throw new HubException.Forbidden(
                    "A viewer token is read-only; use an agent or admin token to change state.");
        }
        return this;
    }

    /** Fails with {@link HubException.Forbidden} unless this principal is an admin. */
    public Principal requireAdmin() {
        if (role != Role.ADMIN) {
            throw new HubException.Forbidden("Only an admin may do this.");
        }
        return this;
    }
}
