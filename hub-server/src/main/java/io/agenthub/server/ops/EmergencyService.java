package io.agenthub.server.ops;

import io.agenthub.agent.AgentService;
import io.agenthub.agent.Disablement;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import io.agenthub.task.TaskService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The guide's emergency procedures that change who may act: disabling an agent (security incident) and enabling it
 * again, and rotating the admin token and join keys. Each is audited and announced in group chat.
 */
public final class EmergencyService {
    private final Sources s;
    private final Consumer<String> adminTokenSink;

    /**
     * What the procedures act on.
     *
     * @param announce posts a hub notice in the ops channel
     */
    public record Sources(
            AgentService agents,
            AuthService auth,
            LeaseService leases,
            TaskService tasks,
            AuditLog audit,
            InstantSource clock,
            Consumer<String> announce) {}

    /** What disabling an agent did. */
    public record Disabled(String agentId, Disablement disabled, int revokedTokens, List<Lease> releasedLeases) {}

    /** What enabling an agent did: the disabled mark it cleared, or null if the agent was not disabled. */
    public record Enabled(String agentId, Disablement cleared) {}

    /** @param adminTokenSink stores a rotated admin token where the CLI finds it (the generated token file), if any */
    public EmergencyService(Sources sources, Consumer<String> adminTokenSink) {
        this.s = sources;
        this.adminTokenSink = adminTokenSink;
    }

    /**
     * Marks the agent disabled (stored: it can neither enrol again nor be issued a token until {@link #enableAgent}),
     * then revokes every token it has and releases its leases (each recorded in the audit log). The agent keeps its
     * profile, memories and checkpoints. Disabling a disabled agent records the new reason and revokes again.
     */
    public Disabled disableAgent(Principal caller, String agentId, String reason) {
        caller.requireAdmin();
        String why = Require.text("reason", reason, 1024);
        // The mark comes first: a token issued concurrently is then either revoked below or refused by the issuer's
        // second look at the mark.
        Disablement mark = s.agents().disable(caller, agentId, why).disabled();
        int revoked = s.auth().revokeTokens(agentId);
        List<Lease> released = s.leases().releaseAllOf(agentId, "agent disabled by " + caller.id() + ": " + why);
        // Its claimed tasks go back to the queue (attempt counted) for live agents to take.
        s.tasks().requeueAllOf(agentId, "agent disabled by " + caller.id() + ": " + why);
        s.audit()
                .record(
                        caller.id(),
                        "agent.disable",
                        agentId,
                        Map.of(
                                "reason", why,
                                "revokedTokens", Integer.toString(revoked),
                                "releasedLeases", Integer.toString(released.size())));
        s.announce()
                .accept("Agent " + agentId + " was disabled by " + caller.id() + ": " + why + ". Revoked " + revoked
                        + " token(s), released " + released.size() + " lease(s)"
                        + (released.isEmpty()
                                ? ""
                                : " " + released.stream().map(Lease::resource).toList())
                        + ". It stays disabled until an"
                        + " admin enables it.");
        return new Disabled(agentId, mark, revoked, released);
    }

    /**
     * Enables a disabled agent again: it may then be issued a token (or enrol, if it has none). Tokens revoked when it
     * was disabled stay revoked. A no-op, neither audited nor announced, for an agent that is not disabled.
     *
     * @param note why, optional (audited and announced)
     */
    public Enabled enableAgent(Principal caller, String agentId, String note) {
        caller.requireAdmin();
        String why = Require.optional("reason", note, 1024);
        Disablement cleared = s.agents().enable(caller, agentId).orElse(null);
        if (cleared != null) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("disabledBy", cleared.by());
            details.put("disabledAt", cleared.at().toString());
            details.put("disabledReason", cleared.reason());
            if (!why.isEmpty()) {
                details.put("reason", why);
            }
            s.audit().record(caller.id(), "agent.enable", agentId, details);
            s.announce()
                    .accept("Agent " + agentId + " was enabled again by " + caller.id()
                            + (why.isEmpty() ? "" : ": " + why) + " (disabled by " + cleared.by() + " at "
                            + cleared.at().truncatedTo(ChronoUnit.SECONDS) + ": " + cleared.reason() + ").");
        }
        return new Enabled(agentId, cleared);
    }

    /**
     * Rotates the admin token and every join key. The previous ones keep working for {@code overlap} (0 to 7 days),
     * so that operators and enrolment scripts can switch over.
     */
    public AuthService.Rotation rotateKeys(Principal caller, Duration overlap) {
        caller.requireAdmin();
        checkOverlap(overlap);
        AuthService.Rotation rotation = s.auth().rotate(overlap);
        adminTokenSink.accept(rotation.adminToken().secret());
        s.audit()
                .record(
                        caller.id(),
                        "keys.rotate",
                        "admin-token",
                        Map.of(
                                "oldValidUntil", rotation.oldValidUntil().toString(),
                                "joinKeys", Integer.toString(rotation.joinKeys().size()),
                                "credential", rotation.adminToken().id()));
        s.announce()
                .accept("Keys rotated by " + caller.id() + ": a new admin token and "
                        + rotation.joinKeys().size()
                        + " new join key(s). The previous ones stop working at "
                        + rotation.oldValidUntil().truncatedTo(ChronoUnit.SECONDS) + ".");
        return rotation;
    }

    /**
     * Rotates every agent's and viewer's token: one new token each (returned by agent id, to be shown once); the
     * current ones keep working for {@code overlap} (0 to 7 days).
     */
    public java.util.Map<String, AuthService.Issued> rotateAgentTokens(Principal caller, Duration overlap) {
        caller.requireAdmin();
        checkOverlap(overlap);
        java.util.Map<String, AuthService.Issued> issued = s.auth().rotateTokens(overlap);
        Instant until = s.clock().instant().plus(overlap);
        s.audit()
                .record(
                        caller.id(),
                        "tokens.rotate",
                        "agents",
                        Map.of("tokens", Integer.toString(issued.size()), "oldValidUntil", until.toString()));
        s.announce()
                .accept("Agent tokens rotated by " + caller.id() + ": " + issued.size()
                        + " new token(s), handed out by the" + " operator. The previous ones stop working at "
                        + until.truncatedTo(ChronoUnit.SECONDS) + ".");
        return issued;
    }

    private static void checkOverlap(Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(7)) > 0) {
            throw new HubException.InvalidRequest(
                    "overlapSeconds must be between 0 (the old keys stop at once) and 604800 (7 days).");
        }
    }
}
