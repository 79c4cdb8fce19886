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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents in Redis: one hash per agent (the disabled mark is three fields, present only while it is disabled) and a
 * sorted set of ids. A heartbeat, a batch of touches and the presence compare-and-set are each one Lua script, so a
 * fresh call and a reaper on another node never interleave.
 *
 * <p>Touches (the sign of life of any authenticated call) are soft state: a node gathers them, the latest per agent,
 * and writes them every {@link #TOUCH_FLUSH_EVERY} in one script per {@value #TOUCH_BATCH} agents, instead of one
 * script per touch. This node's own reads of agents (find, list, the presence reaper's transition) write the gathered
 * touches first; other nodes see a touch at most one interval late, and a node that crashes loses at most the touches
 * of its last interval, which presence, judged in minutes, does not notice. A failed write keeps its touches for the
 * next interval.
 */
final class RedisAgentStore implements AgentStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisAgentStore.class);
    static final Duration TOUCH_FLUSH_EVERY = Duration.ofSeconds(1);
    /** Agents marked seen per script, so that one write never blocks Redis for long. */
    static final int TOUCH_BATCH = 500;

    private static final LuaScript CREATE = LuaScript.load("agent-create");
    private static final LuaScript HEARTBEAT = LuaScript.load("agent-heartbeat", "agent-lib");
    private static final LuaScript TOUCH_MANY = LuaScript.load("agent-touch-many", "agent-lib");
    private static final LuaScript TRANSITION = LuaScript.load("agent-transition");
    private static final LuaScript PROFILE = LuaScript.load("agent-profile");
    private static final LuaScript LIST = LuaScript.load("agent-list");
    private static final LuaScript DISABLE = LuaScript.load("agent-disable");
    private static final LuaScript ENABLE = LuaScript.load("agent-enable");

    private final RedisLink redis;
    private final RedisKeys keys;

    /** Touches not yet written: agent id to the latest time it was seen, in epoch ms. One entry per agent at most. */
    private final ConcurrentHashMap<String, Long> touched = new ConcurrentHashMap<>();

    private final Object flushing = new Object();
    private Thread flusher;
    private volatile boolean closed;

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
        writeTouches();
        Map<String, String> fields = redis.call("agent", c -> c.hgetall(keys.agent(id)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(agent(fields));
    }

    /** Every agent, ordered by id, read in pages ({@link IdPages}). */
    @Override
    public List<Agent> list() {
        writeTouches();
        List<Agent> out = new ArrayList<>();
        IdPages.each(redis, LIST, keys.agentIds(), keys.agentBase(), 2, r -> {
            Map<String, String> fields = Replies.hash(r.get(1));
            if (!fields.isEmpty()) { // an id whose hash is gone
                out.add(agent(fields));
            }
        });
        return out;
    }

    @Override
    public Optional<Beat> heartbeat(String id, AgentStatus status, String task, Long tokens, Instant now) {
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
        return fields.isEmpty()
                ? Optional.empty()
                : Optional.of(new Beat(agent(fields), "1".equals(fields.get("changed"))));
    }

    @Override
    public void touch(String id, Instant now) {
        touched.merge(id, now.toEpochMilli(), Math::max);
        if (flusher == null) {
            startFlusher();
        }
    }

    private synchronized void startFlusher() {
        if (flusher != null || closed) {
            return;
        }
        flusher = Thread.ofVirtual().name("hub-agent-touches").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(TOUCH_FLUSH_EVERY);
                    writeTouches();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.debug(
                            "Writing the gathered agent touches failed; they wait for the next interval: {}",
                            e.getMessage());
                }
            }
        });
    }

    /**
     * Writes the gathered touches, {@value #TOUCH_BATCH} agents per script. A batch that fails goes back into the
     * gathered ones (keeping the later time of each agent) and the failure is thrown.
     */
    void writeTouches() {
        if (touched.isEmpty()) {
            return;
        }
        synchronized (flushing) {
            List<String> ids = new ArrayList<>(touched.keySet());
            for (int from = 0; from < ids.size(); from += TOUCH_BATCH) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + TOUCH_BATCH));
                List<String> agentKeys = new ArrayList<>(batch.size());
                List<String> times = new ArrayList<>(batch.size());
                for (String id : batch) {
                    Long at = touched.remove(id);
                    if (at != null) {
                        agentKeys.add(keys.agent(id));
                        times.add(Long.toString(at));
                    }
                }
                if (agentKeys.isEmpty()) {
                    continue;
                }
                try {
                    redis.eval(
                            TOUCH_MANY,
                            ScriptOutputType.INTEGER,
                            agentKeys.toArray(String[]::new),
                            times.toArray(String[]::new));
                } catch (RuntimeException e) {
                    for (int i = 0; i < agentKeys.size(); i++) {
                        String id = agentKeys.get(i).substring(keys.agent("").length());
                        touched.merge(id, Long.parseLong(times.get(i)), Math::max);
                    }
                    throw e;
                }
            }
        }
    }

    /** Stops the interval writer after writing what it gathered, if Redis takes it. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (flusher != null) {
                flusher.interrupt();
            }
        }
        try {
            writeTouches();
        } catch (RuntimeException e) {
            LOG.debug("The last agent touches were not written: {}", e.getMessage());
        }
    }

    @Override
    public boolean transition(String id, Presence expected, Instant lastSeen, Presence next, Instant now) {
        writeTouches();
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
