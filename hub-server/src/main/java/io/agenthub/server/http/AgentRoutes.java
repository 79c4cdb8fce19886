package io.agenthub.server.http;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.AgentStatus;
import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Credential;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lease.LeaseService;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.tier.Work;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Agents, enrolment, heartbeats, tokens and join keys. */
public final class AgentRoutes {
    private final AgentService agents;
    private final AuthService auth;
    private final LeaseService leases;
    private final AuditLog audit;
    private final Function<Agent, Optional<Instant>> exitBy;

    record CreateBody(String id, String name, Role role, List<String> capabilities, Map<String, String> labels) {}

    record EnrollBody(String joinKey, String id, String name, List<String> capabilities, Map<String, String> labels) {}

    record ProfileBody(String name, List<String> capabilities, Map<String, String> labels) {}

    record HeartbeatBody(AgentStatus status, String currentTask, Long contextTokens) {}

    record JoinKeyBody(String label) {}

    record TokenBody(Boolean replace) {}

    /**
     * @param exitBy until when an agent (the record its heartbeat returns) is told to checkpoint and exit (scale-down):
     *     its heartbeats say so
     */
    public AgentRoutes(
            AgentService agents,
            AuthService auth,
            LeaseService leases,
            AuditLog audit,
            Function<Agent, Optional<Instant>> exitBy) {
        this.agents = agents;
        this.auth = auth;
        this.leases = leases;
        this.audit = audit;
        this.exitBy = exitBy;
    }

    public void register(Router r) {
        r.post("/api/agents", Access.ADMIN, call -> {
            CreateBody b = call.body(CreateBody.class);
            AgentService.Registered reg = agents.register(
                    call.principal(),
                    b.id(),
                    b.role(),
                    new AgentService.Profile(b.name(), b.capabilities(), b.labels()));
            return Reply.created(withToken(reg));
        });
        r.post("/api/agents/enroll", Access.PUBLIC, call -> {
            EnrollBody b = call.body(EnrollBody.class);
            AgentService.Registered reg = agents.enroll(
                    b.joinKey(), b.id(), new AgentService.Profile(b.name(), b.capabilities(), b.labels()));
            return Reply.created(withToken(reg));
        });
        r.get("/api/agents", Access.READ, call -> {
            String action = call.query("action");
            if (action != null && !action.equals("get-all") && !action.equals("list")) {
                throw new HubException.InvalidRequest("action must be get-all (or omitted).");
            }
            return Reply.ok(Map.of("agents", agents.list()));
        });
        r.get("/api/agents/{id}", Access.READ, call -> {
            Agent agent = agents.get(call.path("id"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("agent", agent);
            out.put("leases", leases.heldBy(agent.id()));
            return Reply.ok(out);
        });
        r.patch("/api/agents/{id}", Access.WRITE, call -> {
            ProfileBody b = call.body(ProfileBody.class);
            return Reply.ok(agents.updateProfile(
                    call.principal(),
                    call.path("id"),
                    new AgentService.Profile(b.name(), b.capabilities(), b.labels())));
        });
        r.post("/api/agents/{id}/tokens", Access.ADMIN, call -> {
            TokenBody b = call.bodyOr(TokenBody.class, new TokenBody(null));
            boolean replace = Boolean.TRUE.equals(b.replace()) || "true".equals(call.query("replace"));
            String token = agents.issueToken(call.principal(), call.path("id"), replace);
            return Reply.created(Map.of("id", call.path("id"), "token", token, "replaced", replace));
        });
        r.post("/api/tokens/renew", Access.WRITE, Work.UPKEEP, call -> {
            String header = call.header("Authorization");
            AuthService.Renewal renewal = auth.renew(header.substring("Bearer ".length()));
            audit.record(
                    call.principal().id(),
                    "token.renew",
                    call.principal().id(),
                    Map.of("credential", renewal.token().id()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", renewal.token().secret());
            out.put("expiresAt", renewal.expiresAt());
            out.put("oldValidUntil", renewal.oldValidUntil());
            return Reply.ok(out);
        });
        r.post("/api/heartbeat", Access.WRITE, Work.UPKEEP, call -> {
            HeartbeatBody b = call.body(HeartbeatBody.class);
            Agent agent = agents.heartbeat(call.principal(), b.status(), b.currentTask(), b.contextTokens());
            return Directives.with(Reply.ok(agent), Directives.forExit(exitBy.apply(agent)));
        });
        r.get("/api/whoami", Access.READ, call -> {
            Principal p = call.principal();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", p.id());
            out.put("role", p.role());
            agents.find(p.id()).ifPresent(a -> out.put("agent", a));
            return Reply.ok(out);
        });
        r.post("/api/join-keys", Access.ADMIN, call -> {
            JoinKeyBody b = call.body(JoinKeyBody.class);
            String label = Require.text("label", b.label(), 64);
            AuthService.Issued key = auth.issueJoinKey(label);
            audit.record(call.principal().id(), "join-key.create", label, Map.of("credential", key.id()));
            return Reply.created(Map.of("id", key.id(), "label", label, "joinKey", key.secret()));
        });
        r.get(
                "/api/join-keys",
                Access.ADMIN,
                call -> Reply.ok(Map.of(
                        "joinKeys",
                        auth.list(Credential.Kind.JOIN_KEY).stream()
                                .map(c -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("id", c.id());
                                    m.put("label", c.subject());
                                    m.put("createdAt", c.createdAt());
                                    m.put("revokedAt", c.revokedAt());
                                    return m;
                                })
                                .toList())));
        r.delete("/api/join-keys/{id}", Access.ADMIN, call -> {
            if (!auth.revoke(call.path("id"))) {
                throw new HubException.NotFound("No active join key " + call.path("id") + ".");
            }
            audit.record(call.principal().id(), "join-key.revoke", call.path("id"), Map.of());
            return Reply.ok(Map.of("revoked", true, "id", call.path("id")));
        });
        r.get("/api/audit", Access.ADMIN, call -> {
            Long after = cursor(call, "after");
            int limit = call.queryInt("limit", 100, 1, 1000);
            List<AuditEvent> events = audit.page(after, cursor(call, "before"), limit);
            // Pass as before for older events; null once a backward read reached the oldest.
            boolean older = after != null ? !events.isEmpty() : events.size() == limit;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("prevCursor", older ? events.getFirst().seq() : null);
            out.put("events", events);
            return Reply.ok(out);
        });
    }

    /** A cursor query parameter, or null if absent. */
    private static Long cursor(Call call, String name) {
        return call.query(name) == null ? null : call.queryLong(name, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withToken(AgentService.Registered reg) {
        Map<String, Object> out = new LinkedHashMap<>(JsonCodec.MAPPER.convertValue(reg.agent(), Map.class));
        out.put("token", reg.token());
        return out;
    }
}
