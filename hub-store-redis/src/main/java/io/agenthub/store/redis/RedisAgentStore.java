package io.agenthub.store.redis;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.AgentStore;
import io.agenthub.agent.Disablement;
import io.agenthub.agent.Presence;
import io.agenthub.agent.ProfileChange;
import io.agenthub.auth.Role;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agents in Redis: one hash per agent (the disabled mark is three fields, present only while it is disabled) and a sorted
 * set of ids. Heartbeat, touch and the presence compare-and-set are
 * each one Lua script, so a fresh call and a reaper on another node never interleave.
 */
final class RedisAgentStore implements AgentStore {
    private static final LuaScript CREATE = LuaScript.load("agent-create");
    private static final LuaScript HEARTBEAT = LuaScript.load("agent-heartbeat", "agent-lib");
    private static final LuaScript TOUCH = LuaScript.load("agent-touch", "agent-lib");
    private static final LuaScript TRANSITION = LuaScript.load("agent-transition");
    private static final LuaScript PROFILE = LuaScript.load("agent-profile");
    private static final LuaScript LIST = LuaScript.load("agent-list");
    private static final LuaScript DISABLE = LuaScript.load("agent-disable");
    private static final LuaScript ENABLE = LuaScript.load("agent-enable");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisAgentStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public boolean create(Agent a) {
        List<String> args = new ArrayList<>(List.of(
                a.id(),
                "id",
                a.id(),
                "name",
                a.name(),
                "role",
                a.role().name(),
                "caps",
                Json.write(a.capabilities()),
                "labels",
                Json.write(a.labels()),
                "status",
                a.status().name(),
                "task",
                a.currentTask(),
                "tokens",
                Long.toString(a.contextTokens()),
                "presence",
                a.presence().name(),
                "seen",
                Replies.millis(a.lastSeen()),
                "since",
                Replies.millis(a.presenceSince()),
                "created",
                Replies.millis(a.createdAt())));
        Disablement d = a.disabled();
        if (d != null) {
            args.addAll(List.of(
                    "disabled_by", d.by(), "disabled_at", Replies.millis(d.at()), "disabled_reason", d.reason()));
        }
        long created = redis.eval(
                CREATE,
                ScriptOutputType.INTEGER,
                new String[] {keys.agent(a.id()), keys.agentIds()},
                args.toArray(String[]::new));
        return created == 1;
    }

    @Override
    public Optional<Agent> find(String id) {
        Map<String, String> fields = redis.call("agent", c -> c.hgetall(keys.agent(id)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(agent(fields));
    }

    @Override
    public List<Agent> list() {
        List<Agent> out = new ArrayList<>();
        for (Map<String, String> fields : Replies.hashes(
                redis.eval(LIST, ScriptOutputType.MULTI, new String[] {keys.agentIds()}, keys.agentBase()))) {
            out.add(agent(fields));
        }
        return out;
    }

    @Override
    public Optional<Agent> heartbeat(String id, AgentStatus status, String task, Long tokens, Instant now) {
        Map<String, String> fields = Replies.hash(redis.eval(
                HEARTBEAT,
                ScriptOutputType.MULTI,
                new String[] {keys.agent(id)},
                Replies.millis(now),
                status == null ? "0" : "1",
                status == null ? "" : status.name(),
                task == null ? "0" : "1",
                task == null ? "" : task,
                tokens == null ? "0" : "1",
                tokens == null ? "" : Long.toString(tokens)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(agent(fields));
    }

    @Override
    public void touch(String id, Instant now) {
        redis.eval(TOUCH, ScriptOutputType.INTEGER, new String[] {keys.agent(id)}, Replies.millis(now));
    }

    @Override
    public boolean transition(String id, Presence expected, Instant lastSeen, Presence next, Instant now) {
        long changed = redis.eval(
                TRANSITION,
                ScriptOutputType.INTEGER,
                new String[] {keys.agent(id)},
                expected.name(),
                Replies.millis(lastSeen),
                next.name(),
                Replies.millis(now));
        return changed == 1;
    }

    @Override
    public Optional<Agent> updateProfile(String id, ProfileChange change) {
        Map<String, String> fields = Replies.hash(redis.eval(
                PROFILE,
                ScriptOutputType.MULTI,
                new String[] {keys.agent(id)},
                id,
                change.name() == null ? "0" : "1",
                change.name() == null ? "" : change.name(),
                change.capabilities() == null ? "0" : "1",
                Json.write(change.capabilities() == null ? List.of() : change.capabilities()),
                Json.write(change.labels()),
                Integer.toString(change.maxLabels())));
        if (fields.containsKey("labels-over")) {
            throw change.tooManyLabels(Integer.parseInt(fields.get("labels-over")));
        }
        return fields.isEmpty() ? Optional.empty() : Optional.of(agent(fields));
    }

    @Override
    public Optional<Agent> disable(String id, Disablement d) {
        Map<String, String> fields = Replies.hash(redis.eval(
                DISABLE,
                ScriptOutputType.MULTI,
                new String[] {keys.agent(id)},
                d.by(),
                Replies.millis(d.at()),
                d.reason()));
        return fields.isEmpty() ? Optional.empty() : Optional.of(agent(fields));
    }

    @Override
    public Optional<Agent> enable(String id) {
        Map<String, String> fields =
                Replies.hash(redis.eval(ENABLE, ScriptOutputType.MULTI, new String[] {keys.agent(id)}));
        return fields.isEmpty() ? Optional.empty() : Optional.of(agent(fields));
    }

    /**
     * An agent from its hash. The disabled mark is three optional fields ({@code disabled_by}, {@code disabled_at}
     * in epoch milliseconds, {@code disabled_reason}), absent while the agent is enabled.
     */
    private static Agent agent(Map<String, String> f) {
        return new Agent(
                f.get("id"),
                f.get("name"),
                Role.valueOf(f.get("role")),
                Json.list(f.get("caps")),
                Json.map(f.get("labels")),
                AgentStatus.valueOf(f.get("status")),
                f.get("task"),
                Long.parseLong(f.get("tokens")),
                Presence.valueOf(f.get("presence")),
                Replies.millis(f.get("seen")),
                Replies.millis(f.get("since")),
                Replies.millis(f.get("created")),
                f.get("disabled_at") == null
                        ? null
                        : new Disablement(
                                f.get("disabled_by"), Replies.millis(f.get("disabled_at")), f.get("disabled_reason")));
    }

    /** Agents in snapshots, by id, written back as agent-create.lua writes them, with their current fields. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.AgentRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        List<String> ids = x.sync().zrange(keys.agentIds(), 0, -1);
                        for (Map<String, String> f : x.pipe().each(ids, (a, id) -> a.hgetall(keys.agent(id)))) {
                            if (!f.isEmpty()) {
                                sink.accept(new SnapshotRecord.AgentRow(agent(f)));
                            }
                        }
                    },
                    (w, row) -> restoreAgent(w, row.agent()));

    private static void restoreAgent(RedisSnapshotRestore w, Agent a) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", a.id());
        f.put("name", a.name());
        f.put("role", a.role().name());
        f.put("caps", Json.write(a.capabilities()));
        f.put("labels", Json.write(a.labels()));
        f.put("status", a.status().name());
        f.put("task", a.currentTask());
        f.put("tokens", Long.toString(a.contextTokens()));
        f.put("presence", a.presence().name());
        f.put("seen", Replies.millis(a.lastSeen()));
        f.put("since", Replies.millis(a.presenceSince()));
        f.put("created", Replies.millis(a.createdAt()));
        if (a.disabled() != null) {
            f.put("disabled_by", a.disabled().by());
            f.put("disabled_at", Replies.millis(a.disabled().at()));
            f.put("disabled_reason", a.disabled().reason());
        }
        w.hset(w.keys().agent(a.id()), f);
        w.zadd(w.keys().agentIds(), 0, a.id());
    }
}
