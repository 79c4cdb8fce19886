package io.agenthub.agent;

import io.agenthub.audit.AuditLog;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lifecycle.Activity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Registration, enrolment, heartbeats and the agent roster. */
public final class AgentService {
    /** The audit action of a change to an agent's privileged labels; details map each label to its new value. */
    public static final String PRIVILEGED_LABELS_ACTION = "agent.labels.privileged";

    private static final Duration TOUCH_EVERY = Duration.ofSeconds(5);
    /** The most labels an agent may have. */
    private static final int MAX_LABELS = 32;

    private final AgentStore store;
    private final AuthService auth;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Activity activity;
    private final LabelPolicy labels;
    private final ConcurrentHashMap<String, Instant> lastTouch = new ConcurrentHashMap<>();

    /** A new agent with its token, which is shown once and never stored in plain text. */
    public record Registered(Agent agent, String token) {}

    /** Profile fields an agent or admin may set; on an update, null fields stay as they are. */
    public record Profile(String name, List<String> capabilities, Map<String, String> labels) {}

    public AgentService(AgentStore store, AuthService auth, AuditLog audit, InstantSource clock) {
        this(store, auth, audit, clock, Activity.NONE);
    }

    /** @param activity told when a heartbeat changes the agent's status or task (progress) */
    public AgentService(AgentStore store, AuthService auth, AuditLog audit, InstantSource clock, Activity activity) {
        this(store, auth, audit, clock, activity, LabelPolicy.of("core"));
    }

    /** @param labels which labels only an admin or a join key sets */
    public AgentService(
            AgentStore store,
            AuthService auth,
            AuditLog audit,
            InstantSource clock,
            Activity activity,
            LabelPolicy labels) {
        this.labels = labels;
        this.store = store;
        this.auth = auth;
        this.audit = audit;
        this.clock = clock;
        this.activity = activity;
    }

    /** Admin creates an agent (or a viewer) and gets its first token. */
    public Registered register(Principal caller, String id, Role role, Profile profile) {
        caller.requireAdmin();
        Role r = role == null ? Role.AGENT : role;
        if (r == Role.ADMIN) {
            throw new HubException.InvalidRequest("role must be agent or viewer; the admin acts with the admin token.");
        }
        Registered registered = create(id, r, profile);
        audit.record(caller.id(), "agent.create", id, Map.of("role", r.name().toLowerCase()));
        return registered;
    }

    /**
     * An agent enrols itself with a join key and a chosen id. A disabled agent's id is refused with
     * {@link HubException.Forbidden} (without the admin's reason, which the holder of a join key need not see).
     */
    public Registered enroll(String joinKey, String id, Profile profile) {
        String keyLabel = auth.checkJoinKey(joinKey);
        Require.id("id", id);
        if (store.find(id).filter(a -> a.disabled() != null).isPresent()) {
            audit.record(id, "agent.enroll.refused", id, Map.of("why", "disabled"));
            throw new HubException.Forbidden(
                    "agent_disabled",
                    "Agent " + id + " is disabled, so it cannot enrol. An admin must enable it first ('hub agent"
                            + " enable " + id + "' or POST /api/agents/" + id + "/enable) and then issue it a token.",
                    Map.of("id", id));
        }
        Profile asked = checkProfile(profile);
        Profile fixed =
                new Profile(asked.name(), asked.capabilities(), labels.enrolmentLabels(id, keyLabel, asked.labels()));
        Registered registered = create(id, Role.AGENT, fixed);
        audit.record(id, "agent.enroll", id, Map.of("joinKey", keyLabel));
        return registered;
    }

    /**
     * Admin issues another token for an existing agent, e.g. after its process lost the first. A disabled agent gets
     * none until an admin enables it ({@link HubException.Forbidden}); a token issued while another admin disables the
     * agent is revoked again before this returns.
     */
    public String issueToken(Principal caller, String id) {
        return issueToken(caller, id, false);
    }

    /** Like {@link #issueToken(Principal, String)}; with {@code replace}, every other token of the agent stops at once. */
    public String issueToken(Principal caller, String id, boolean replace) {
        caller.requireAdmin();
        Agent agent = get(id);
        refuseIfDisabled(agent);
        AuthService.Issued issued =
                replace ? auth.replaceTokens(agent.id(), agent.role()) : auth.issueToken(agent.id(), agent.role());
        // The disabling side marks the agent first and revokes its tokens second; checking the mark again after
        // issuing means a token issued in between is caught by one side or the other.
        Agent now = store.find(id).orElse(agent);
        if (now.disabled() != null) {
            auth.revoke(issued.id());
            refuseIfDisabled(now);
        }
        audit.record(caller.id(), replace ? "token.replace" : "token.issue", id, Map.of("credential", issued.id()));
        return issued.secret();
    }

    private static void refuseIfDisabled(Agent agent) {
        Disablement d = agent.disabled();
        if (d == null) {
            return;
        }
        throw new HubException.Forbidden(
                "agent_disabled",
                "Agent " + agent.id() + " was disabled by " + d.by() + " at " + d.at() + " (" + d.reason() + ")."
                        + " Enable it first ('hub agent enable " + agent.id() + "' or POST /api/agents/" + agent.id()
                        + "/enable), then issue it a token.",
                Map.of("id", agent.id(), "disabledBy", d.by(), "disabledAt", d.at().toString(), "reason", d.reason()));
    }

    /**
     * Admin marks an agent disabled: from now on it can neither enrol with a join key nor be issued a token, until
     * {@link #enable}. Revoking the tokens it already has and freeing its leases is up to the caller (the emergency
     * procedure does both, after this).
     */
    public Agent disable(Principal caller, String id, String reason) {
        caller.requireAdmin();
        return store.disable(id, new Disablement(caller.id(), clock.instant(), reason))
                .orElseThrow(() -> new HubException.NotFound("No agent " + id + "."));
    }

    /**
     * Admin enables a disabled agent again (it still needs a new token). Returns the mark it cleared, empty if the agent
     * was not disabled.
     */
    public Optional<Disablement> enable(Principal caller, String id) {
        caller.requireAdmin();
        Disablement was = get(id).disabled();
        store.enable(id).orElseThrow(() -> new HubException.NotFound("No agent " + id + "."));
        return Optional.ofNullable(was);
    }

    private Registered create(String id, Role role, Profile profile) {
        Require.id("id", id);
        if (Principal.ADMIN_ID.equals(id) || "hub".equals(id) || "system".equals(id)) {
            throw new HubException.InvalidRequest("'" + id + "' is reserved; choose another id.");
        }
        Profile p = checkProfile(profile);
        Agent agent = Agent.fresh(id, p.name(), role, p.capabilities(), p.labels(), clock.instant());
        if (!store.create(agent)) {
            throw new HubException.Conflict(
                    "agent_exists",
                    "Agent " + id + " already exists; choose another id, or ask an admin to issue it a new token.",
                    Map.of("id", id));
        }
        return new Registered(agent, auth.issueToken(id, role).secret());
    }

    /** The caller's heartbeat. A change of status or task counts as progress. */
    public Agent heartbeat(Principal caller, AgentStatus status, String currentTask, Long contextTokens) {
        caller.requireWriter();
        String task = currentTask == null ? null : Require.optional("currentTask", currentTask, 1024);
        if (contextTokens != null) {
            Require.range("contextTokens", contextTokens, 0, 100_000_000);
        }
        Instant now = clock.instant();
        AgentStore.Beat beat =
                store.heartbeat(caller.id(), status, task, contextTokens, now).orElseThrow(() -> notAnAgent(caller));
        lastTouch.put(caller.id(), now);
        if (beat.changed()) {
            activity.progressed(caller.id());
        }
        return beat.agent();
    }

    /**
     * Any authenticated call counts as a sign of life. Writes are coalesced to one per agent every few seconds on this
     * node; presence is judged in minutes, so nothing is lost.
     */
    public void seen(Principal caller) {
        if (caller.isAdmin()) {
            return;
        }
        Instant now = clock.instant();
        Instant last = lastTouch.get(caller.id());
        if (last != null && Duration.between(last, now).compareTo(TOUCH_EVERY) < 0) {
            return;
        }
        lastTouch.put(caller.id(), now);
        store.touch(caller.id(), now);
    }

    /**
     * Changes the caller's own profile, or any agent's for an admin, with merge semantics: fields that are null stay as
     * they are, and only the labels named change, a label sent as null being removed (see {@link ProfileChange}).
     */
    public Agent updateProfile(Principal caller, String id, Profile profile) {
        caller.requireWriter();
        if (!caller.isAdmin() && !caller.id().equals(id)) {
            throw new HubException.Forbidden("An agent may change only its own profile.");
        }
        Profile p = profile == null ? new Profile(null, null, null) : profile;
        String name = p.name() == null ? null : Require.optional("name", p.name(), 128);
        List<String> caps = p.capabilities() == null ? null : Require.list("capabilities", p.capabilities(), 64, 128);
        Map<String, String> change = checkLabels(p.labels());
        if (!caller.isAdmin() && change.keySet().stream().anyMatch(labels::isPrivileged)) {
            labels.checkSelfChange(id, change, get(id).labels());
        }
        Agent updated = store.updateProfile(id, new ProfileChange(name, caps, change, MAX_LABELS))
                .orElseThrow(() -> new HubException.NotFound("No agent " + id + "."));
        Map<String, String> privileged = new LinkedHashMap<>();
        change.forEach((k, v) -> {
            if (labels.isPrivileged(k)) {
                privileged.put(k, v == null ? "(removed)" : v);
            }
        });
        if (!privileged.isEmpty()) {
            audit.record(caller.id(), PRIVILEGED_LABELS_ACTION, id, privileged);
        }
        return updated;
    }

    /** Which labels are privileged (set only by admins or join keys). */
    public LabelPolicy labelPolicy() {
        return labels;
    }

    public List<Agent> list() {
        return store.list();
    }

    public Agent get(String id) {
        return store.find(id).orElseThrow(() -> new HubException.NotFound("No agent " + id + "."));
    }

    public Optional<Agent> find(String id) {
        return store.find(id);
    }

    private static Profile checkProfile(Profile profile) {
        Profile p = profile == null ? new Profile(null, null, null) : profile;
        String name = Require.optional("name", p.name(), 128);
        List<String> caps = Require.list("capabilities", p.capabilities(), 64, 128);
        // A new agent has no labels to remove: a label sent as null is simply not set.
        Map<String, String> labels = new LinkedHashMap<>(checkLabels(p.labels()));
        labels.values().removeIf(Objects::isNull);
        return new Profile(name, caps, labels);
    }

    /** Checks label names and values; a null value (remove the label) is kept as null. */
    private static Map<String, String> checkLabels(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > MAX_LABELS) {
            throw new HubException.TooLarge(
                    "labels has " + labels.size() + " entries; the limit is " + MAX_LABELS + ".",
                    Map.of("field", "labels", "limit", MAX_LABELS, "actual", labels.size()));
        }
        labels.forEach((k, v) -> {
            Require.id("label name", k);
            if (v != null) {
                Require.optional("label " + k, v, 256);
            }
        });
        return labels;
    }

    private static HubException notAnAgent(Principal caller) {
        return new HubException.NotFound("No agent " + caller.id() + "; heartbeats come from registered agents.");
    }
}
