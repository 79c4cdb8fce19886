package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.Presence;
import io.agenthub.agent.PresenceReaper;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.message.Message;
import io.agenthub.server.ops.EmergencyService;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Identity, agents, presence, audit and the emergency key tools. */
final class AgentChecks {
    private AgentChecks() {}

    static List<Check> all() {
        return List.of(
                of("agent-register", "agents", "an admin registers an agent whose token authenticates as it", s -> {
                    Principal a = s.agent("builder-1");
                    equal(a.id(), "builder-1", "the principal of the new token");
                    equal(a.role(), Role.AGENT, "its role");
                    require(s.hub.agents.list().stream().anyMatch(x -> x.id().equals("builder-1")), "it is listed");
                    return "registered builder-1; its token authenticates as agent builder-1";
                }),
                of("agent-enroll", "agents", "an agent enrols itself with a join key", s -> {
                    AuthService.Issued key = s.hub.auth.issueJoinKey("fleet");
                    AgentService.Registered r = s.hub.agents.enroll(key.secret(), "self-1", null);
                    equal(s.hub.auth.authenticate(r.token()).id(), "self-1", "the enrolled agent's principal");
                    require(audit(s).stream().anyMatch(e -> e.action().equals("agent.enroll")), "an audit entry");
                    return "enrolled self-1 with a join key; audited";
                }),
                of("join-key-revoked", "agents", "a revoked join key enrols nobody", s -> {
                    AuthService.Issued key = s.hub.auth.issueJoinKey("old");
                    require(s.hub.auth.revoke(key.id()), "the revocation to apply");
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.agents.enroll(key.secret(), "late-1", null),
                            "enrolment with a revoked key");
                    return "a revoked join key is refused";
                }),
                of("agent-duplicate-id", "agents", "a taken agent id is refused", s -> {
                    s.agent("twin");
                    HubException.Conflict c =
                            refused(HubException.Conflict.class, () -> s.agent("twin"), "registering an existing id");
                    equal(c.code(), "agent_exists", "the problem code");
                    return "a second 'twin' is refused with agent_exists";
                }),
                of("token-reissue", "agents", "an admin issues a second token; both work", s -> {
                    s.agent("a1");
                    String second = s.hub.agents.issueToken(s.admin, "a1");
                    equal(s.hub.auth.authenticate(second).id(), "a1", "the second token's principal");
                    equal(s.hub.auth.authenticate(s.token("a1")).id(), "a1", "the first token's principal");
                    return "two valid tokens for a1";
                }),
                of("token-revoke", "agents", "revoked tokens stop authenticating at once", s -> {
                    s.agent("a1");
                    equal(s.hub.auth.revokeTokens("a1"), 1, "tokens revoked");
                    refused(
                            HubException.Unauthenticated.class,
                            () -> s.hub.auth.authenticate(s.token("a1")),
                            "a revoked token");
                    return "a revoked token is refused";
                }),
                of("viewer-read-only", "agents", "a viewer reads but cannot write", s -> {
                    Principal v = s.viewer("dashboard");
                    require(!s.hub.agents.list().isEmpty(), "a viewer can list agents");
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.leases.acquire(v, "x", 60L, ""),
                            "a viewer's lease");
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.messages.post(v, "general", "hi", null),
                            "a viewer's chat post");
                    return "viewer reads; lease and chat refused";
                }),
                of("agent-profile", "agents", "an agent changes its own profile, not another's", s -> {
                    Principal a = s.agent("a1");
                    s.agent("a2");
                    Agent updated = s.hub.agents.updateProfile(
                            a, "a1", new AgentService.Profile("Builder", List.of("java"), Map.of("version", "2")));
                    equal(updated.labels().get("version"), "2", "the new label");
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.agents.updateProfile(
                                    a, "a1", new AgentService.Profile(null, null, Map.of("pool", "web"))),
                            "setting its own privileged pool label");
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.agents.updateProfile(a, "a2", new AgentService.Profile("X", null, null)),
                            "changing another agent's profile");
                    return "own profile updated; another's refused";
                }),
                of("heartbeat", "presence", "a heartbeat records status, task and context size", s -> {
                    Principal a = s.agent("a1");
                    Agent after = s.hub.agents.heartbeat(a, AgentStatus.BUSY, "fix login", 42_000L);
                    equal(after.status(), AgentStatus.BUSY, "status");
                    equal(after.currentTask(), "fix login", "current task");
                    equal(after.contextTokens(), 42_000L, "context tokens");
                    equal(after.presence(), Presence.ONLINE, "presence");
                    return "busy on 'fix login' with 42000 tokens, online";
                }),
                of("presence-stale", "presence", "missed heartbeats make an agent stale, announced and audited", s -> {
                    Principal a = s.agent("quiet");
                    s.hub.agents.heartbeat(a, AgentStatus.ACTIVE, null, null);
                    s.advance(Duration.ofSeconds(181));
                    PresenceReaper.Pass pass = s.hub.reaper.run();
                    equal(pass.stale(), List.of("quiet"), "agents judged stale");
                    equal(s.hub.agents.get("quiet").presence(), Presence.STALE, "stored presence");
                    require(notices(s).stream().anyMatch(m -> m.text().contains("quiet is stale")), "an announcement");
                    require(audit(s).stream().anyMatch(e -> e.action().equals("agent.stale")), "an audit entry");
                    return "stale after 3 missed beats; announced and audited";
                }),
                of(
                        "presence-reaps-leases",
                        "presence",
                        "a silent agent's leases go to a successor after the grace",
                        s -> {
                            Principal a = s.agent("gone");
                            Principal b = s.agent("heir");
                            s.hub.agents.heartbeat(a, AgentStatus.BUSY, null, null);
                            s.hub.leases.acquire(a, "src/held.txt", 3600L, "");
                            s.advance(Duration.ofSeconds(181 + 120));
                            PresenceReaper.Pass pass = s.hub.reaper.run();
                            equal(
                                    pass.released().size() + pass.handedOver().size(),
                                    1,
                                    "leases taken from the silent agent");
                            if (!pass.handedOver().isEmpty()) {
                                Handoff h = s.hub.handoffs
                                        .list(s.admin, HandoffStatus.PENDING, false, 10)
                                        .getFirst();
                                equal(h.kind(), Handoff.Kind.REAPED, "the handoff's kind");
                                equal(s.hub.handoffs.accept(b, h.id()).moved().size(), 1, "leases the successor got");
                            } else {
                                s.hub.leases.acquire(b, "src/held.txt", 60L, "");
                            }
                            equal(s.hub.leases.heldBy("heir").size(), 1, "the successor's leases");
                            s.advance(Duration.ofMinutes(15));
                            s.hub.reaper.run();
                            equal(s.hub.agents.get("gone").presence(), Presence.OFFLINE, "presence after 15 min");
                            return "lease " + (pass.handedOver().isEmpty() ? "released" : "handed over")
                                    + " after the grace" + " and taken by heir; offline after 15 min";
                        }),
                of("presence-recovers", "presence", "a stale agent that calls again is online", s -> {
                    Principal a = s.agent("back");
                    s.hub.agents.heartbeat(a, AgentStatus.ACTIVE, null, null);
                    s.advance(Duration.ofMinutes(4));
                    s.hub.reaper.run();
                    equal(s.hub.agents.get("back").presence(), Presence.STALE, "presence while silent");
                    s.hub.agents.heartbeat(a, null, null, null);
                    equal(s.hub.agents.get("back").presence(), Presence.ONLINE, "presence after a heartbeat");
                    return "stale, then online after a heartbeat";
                }),
                of("audit-log", "audit", "credential actions and forced releases are audited", s -> {
                    Principal a = s.agent("a1");
                    s.hub.leases.acquire(a, "r", 60L, "");
                    s.hub.leases.forceRelease(s.admin, "r", "incident 42");
                    List<AuditEvent> events = audit(s);
                    require(events.stream().anyMatch(e -> e.action().equals("agent.create")), "agent.create");
                    require(
                            events.stream()
                                    .anyMatch(e -> e.action().equals("lease.force-release")
                                            && "incident 42".equals(e.details().get("reason"))),
                            "lease.force-release with its reason");
                    for (int i = 1; i < events.size(); i++) {
                        require(events.get(i).seq() > events.get(i - 1).seq(), "increasing sequence numbers");
                    }
                    return events.size() + " audit entries in order";
                }),
                of("keys-rotate-overlap", "auth", "rotated keys keep working for the overlap, then stop", s -> {
                    AuthService.Issued oldKey = s.hub.auth.issueJoinKey("fleet");
                    EmergencyService emergency = s.hub.emergency(token -> {});
                    AuthService.Rotation rotation = emergency.rotateKeys(s.admin, Duration.ofHours(1));
                    String newAdmin = rotation.adminToken().secret();
                    equal(s.hub.auth.authenticate(newAdmin).role(), Role.ADMIN, "the new admin token's role");
                    equal(s.hub.auth.authenticate(s.adminToken()).role(), Role.ADMIN, "the old one during the overlap");
                    s.hub.auth.checkJoinKey(oldKey.secret());
                    s.advance(Duration.ofHours(1).plusSeconds(1));
                    refused(
                            HubException.Unauthenticated.class,
                            () -> s.hub.auth.authenticate(s.adminToken()),
                            "the old admin token after the overlap");
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.auth.checkJoinKey(oldKey.secret()),
                            "the old join key after the overlap");
                    s.hub.auth.checkJoinKey(
                            rotation.joinKeys().values().iterator().next().secret());
                    equal(s.hub.auth.authenticate(newAdmin).role(), Role.ADMIN, "the new admin token afterwards");
                    return "old admin token and join key valid for the 1 h overlap and refused after; new ones valid";
                }),
                of(
                        "agent-disable",
                        "auth",
                        "disabling an agent revokes its tokens, frees its leases and holds until it is enabled",
                        s -> {
                            Principal a = s.agent("rogue");
                            s.hub.leases.acquire(a, "src/secret.txt", 600L, "");
                            EmergencyService emergency = s.hub.emergency(token -> {});
                            EmergencyService.Disabled d = emergency.disableAgent(s.admin, "rogue", "compromised");
                            equal(d.revokedTokens(), 1, "revoked tokens");
                            equal(d.releasedLeases().size(), 1, "released leases");
                            refused(
                                    HubException.Unauthenticated.class,
                                    () -> s.hub.auth.authenticate(s.token("rogue")),
                                    "the disabled agent's token");
                            require(s.hub.leases.active().isEmpty(), "no lease left");
                            require(s.hub.agents.get("rogue").disabled() != null, "the agent marked disabled");
                            refused(
                                    HubException.Forbidden.class,
                                    () -> s.hub.agents.issueToken(s.admin, "rogue"),
                                    "a new token for the disabled agent");
                            String key = s.hub.auth.issueJoinKey("fleet").secret();
                            refused(
                                    HubException.Forbidden.class,
                                    () -> s.hub.agents.enroll(key, "rogue", null),
                                    "enrolling as the disabled agent");
                            emergency.enableAgent(s.admin, "rogue", "cleaned up");
                            String fresh = s.hub.agents.issueToken(s.admin, "rogue");
                            equal(s.hub.auth.authenticate(fresh).id(), "rogue", "the new token after enabling");
                            return "token revoked, 1 lease released, no token or enrolment until enabled";
                        }));
    }

    static List<AuditEvent> audit(Scratch s) {
        return s.hub.audit.list(0, 1000);
    }

    /** The newest hub notices, in the {@code ops-channel}. */
    static List<Message> notices(Scratch s) {
        return s.hub.messages.recent(s.hub.opsChannel(), 100);
    }
}
