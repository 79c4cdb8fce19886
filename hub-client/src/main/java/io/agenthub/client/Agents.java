package io.agenthub.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code /api/agents}, {@code /api/heartbeat} and {@code /api/whoami}. */
public final class Agents {
    private final Transport t;

    /** An agent as the hub sees it; {@code disabled} is set while an admin has disabled it. */
    public record Agent(
            String id,
            String name,
            String role,
            List<String> capabilities,
            Map<String, String> labels,
            String status,
            String currentTask,
            long contextTokens,
            String presence,
            Instant lastSeen,
            Instant presenceSince,
            Instant createdAt,
            Disablement disabled) {}

    public record Disablement(String by, Instant at, String reason) {}

    /** A new agent and its bearer token (shown once). */
    public record Registration(Agent agent, String token) {}

    /** An agent and the leases it holds. */
    public record Detail(Agent agent, List<Leases.Lease> leases) {}

    /** The caller: its id and role, and its agent record when it is an agent. */
    public record WhoAmI(String id, String role, Agent agent) {}

    /**
     * What an admin gives for a new agent; {@code role} is {@code agent} (default), {@code viewer} or {@code admin}.
     */
    public record NewAgent(String id, String name, String role, List<String> capabilities, Map<String, String> labels) {
        public static NewAgent named(String id) {
            return new NewAgent(id, id, null, null, null);
        }
    }

    record Enroll(String joinKey, String id, String name, List<String> capabilities, Map<String, String> labels) {}

    record Profile(String name, List<String> capabilities, Map<String, String> labels) {}

    record Heartbeat(String status, String currentTask, Long contextTokens) {}

    record AgentList(List<Agent> agents) {}

    record Token(String id, String token) {}

    /**
     * A renewed token: the new secret, when it expires (null: never) and until when the calling token keeps working.
     */
    public record Renewal(String token, java.time.Instant expiresAt, java.time.Instant oldValidUntil) {}

    Agents(Transport t) {
        this.t = t;
    }

    /** Admin: registers an agent and returns its token. */
    public Registration create(NewAgent agent) {
        return registration(t.post("/api/agents", agent, JsonNode.class));
    }

    /** Enrols with a join key (no token needed); the hub picks an id when {@code id} is null. */
    public Registration enroll(
            String joinKey, String id, String name, List<String> capabilities, Map<String, String> labels) {
        return registration(
                t.post("/api/agents/enroll", new Enroll(joinKey, id, name, capabilities, labels), JsonNode.class));
    }

    public List<Agent> list() {
        return t.get("/api/agents", AgentList.class).agents();
    }

    public Detail get(String id) {
        return t.get("/api/agents/" + Transport.segment(id), Detail.class);
    }

    /** Changes an agent's profile (its own, or any as admin); null fields stay as they are. */
    public Agent updateProfile(String id, String name, List<String> capabilities, Map<String, String> labels) {
        return t.call(
                        "PATCH",
                        "/api/agents/" + Transport.segment(id),
                        new Profile(name, capabilities, labels),
                        t.requestTimeout())
                .as(Agent.class);
    }

    /**
     * Swaps the caller's token for a new one ({@code POST /api/tokens/renew}); the old one works until
     * {@link Renewal#oldValidUntil()}. Use the new one with {@link HubClient#withToken}.
     */
    public Renewal renewToken() {
        return t.post("/api/tokens/renew", Map.of(), Renewal.class);
    }

    /** Admin: issues a new token for an agent. */
    public String issueToken(String id) {
        return issueToken(id, false);
    }

    /** Admin: issues a new token for an agent; {@code replace} revokes its other tokens (a leaked token). */
    public String issueToken(String id, boolean replace) {
        return t.post("/api/agents/" + Transport.segment(id) + "/tokens", Map.of("replace", replace), Token.class)
                .token();
    }

    /**
     * Reports liveness; {@code status} is {@code active}, {@code idle}, {@code busy} or {@code blocked} (null
     * keeps it), {@code contextTokens} the context size.
     */
    public Agent heartbeat(String status, String currentTask, Long contextTokens) {
        return t.post("/api/heartbeat", new Heartbeat(status, currentTask, contextTokens), Agent.class);
    }

    public WhoAmI whoami() {
        return t.get("/api/whoami", WhoAmI.class);
    }

    private static Registration registration(JsonNode reply) {
        return new Registration(
                Transport.json().convertValue(reply, Agent.class),
                reply.path("token").asString());
    }
}
