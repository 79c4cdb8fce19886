package io.agenthub.server.ops;

import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lease.Lease;
import io.agenthub.server.Services;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The guide's emergency procedures that change who may act: disabling an agent (security incident) and rotating the
 * admin token and join keys. Each is audited and announced in group chat.
 */
public final class EmergencyService {
    private final Services s;
    private final Consumer<String> adminTokenSink;

    /** What disabling an agent did. */
    public record Disabled(String agentId, int revokedTokens, List<Lease> releasedLeases) {}

    /** @param adminTokenSink stores a rotated admin token where the CLI finds it (the generated token file), if any */
    public EmergencyService(Services services, Consumer<String> adminTokenSink) {
        this.s = services;
        this.adminTokenSink = adminTokenSink;
    }

    /**
     * Revokes every token of an agent at once and releases its leases (each recorded in the audit log). The agent keeps
     * its profile, memories and checkpoints; an admin re-enables it by issuing a new token.
     */
    public Disabled disableAgent(Principal caller, String agentId, String reason) {
        caller.requireAdmin();
        String why = Require.text("reason", reason, 1024);
        s.agents.get(agentId);
        int revoked = s.auth.revokeTokens(agentId);
        List<Lease> released = s.leases.releaseAllOf(agentId, "agent disabled by " + caller.id() + ": " + why);
        s.audit.record(
                caller.id(),
                "agent.disable",
                agentId,
                Map.of(
                        "reason", why,
                        "revokedTokens", Integer.toString(revoked),
                        "releasedLeases", Integer.toString(released.size())));
        s.announce("Agent " + agentId + " was disabled by " + caller.id() + ": " + why + ". Revoked " + revoked
                + " token(s), released " + released.size() + " lease(s)"
                + (released.isEmpty()
                        ? ""
                        : " " + released.stream().map(Lease::resource).toList()) + ".");
        return new Disabled(agentId, revoked, released);
    }

    /**
     * Rotates the admin token and every join key. The previous ones keep working for {@code overlap} (0 to 7 days),
     * so that operators and enrolment scripts can switch over.
     */
    public AuthService.Rotation rotateKeys(Principal caller, Duration overlap) {
        caller.requireAdmin();
        if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(7)) > 0) {
            throw new HubException.InvalidRequest(
                    "overlapSeconds must be between 0 (the old keys stop at once) and 604800 (7 days).");
        }
        AuthService.Rotation rotation = s.auth.rotate(overlap);
        adminTokenSink.accept(rotation.adminToken().secret());
        s.audit.record(
                caller.id(),
                "keys.rotate",
                "admin-token",
                Map.of(
                        "oldValidUntil", rotation.oldValidUntil().toString(),
                        "joinKeys", Integer.toString(rotation.joinKeys().size()),
                        "credential", rotation.adminToken().id()));
        s.announce("Keys rotated by " + caller.id() + ": a new admin token and "
                + rotation.joinKeys().size()
                + " new join key(s). The previous ones stop working at "
                + rotation.oldValidUntil().truncatedTo(ChronoUnit.SECONDS) + ".");
        return rotation;
    }
}
