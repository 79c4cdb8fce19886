package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskClaim;
import io.agenthub.task.TaskEvent;
import io.agenthub.task.TaskState;
import io.agenthub.task.TaskStore;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The work queue in Redis. Each change is one Lua script; task keys carry the lease hash tag, so that a claim leases
 * the task's resources (with the lease scripts' functions and the one fencing-token counter) in the same script, on
 * one node of a cluster. Key layout: {@code task-lib.lua}.
 */
final class RedisTaskStore implements TaskStore {
    private static final String LEASE_LIB = "lease-lib";
    private static final String LIB = "task-lib";
    private static final LuaScript CREATE = LuaScript.load("task-create", LEASE_LIB, LIB);
    private static final LuaScript CLAIM = LuaScript.load("task-claim", LEASE_LIB, LIB);
    private static final LuaScript CHANGE = LuaScript.load("task-change", LEASE_LIB, LIB);
    private static final LuaScript REAP = LuaScript.load("task-reap", LEASE_LIB, LIB);
    private static final LuaScript LIST = LuaScript.load("task-list", LEASE_LIB, LIB);
    private static final LuaScript BUSY = LuaScript.load("task-busy");
    private static final LuaScript REROUTE = LuaScript.load("task-reroute", LEASE_LIB, LIB);
    private static final LuaScript PURGE = LuaScript.load("task-purge", LEASE_LIB, LIB);
    /** Expired claims one claim requeues on its way, so that a claim stays short after a mass expiry. */
    private static final int LAZY_REQUEUE = 20;

    private final RedisLink redis;
    private final RedisKeys keys;

    /** The creation fields kept as one JSON field. */
    record Spec(
            String title,
            String body,
            List<String> labels,
            List<String> capabilities,
            String version,
            List<String> resources,
            List<String> dependsOn) {}

    RedisTaskStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    private String[] scriptKeys() {
        return new String[] {keys.leaseNames(), keys.leaseEnds(), keys.fence(), keys.taskAll()};
    }

    @Override
    public Created create(NewTask spec, String createdBy, Instant now, int maxDepth, Split split) {
        List<Object> reply = redis.eval(
                CREATE,
                ScriptOutputType.MULTI,
                scriptKeys(),
                keys.leaseBase(),
                spec.pool(),
                Integer.toString(spec.priority()),
                spec.deadline() == null ? "" : Replies.millis(spec.deadline()),
                Integer.toString(spec.maxAttempts()),
                Json.write(new Spec(
                        spec.title(),
                        spec.body(),
                        spec.labels(),
                        spec.capabilities(),
                        spec.version(),
                        spec.resources(),
                        spec.dependsOn())),
                createdBy,
                Replies.millis(now),
                Integer.toString(maxDepth),
                Json.write(spec.dependsOn()),
                split == null ? "" : Json.write(spec(spec, split.version())),
                split == null ? "0" : Integer.toString(split.weight()));
        return switch (Replies.string(reply.get(0))) {
            case "full" -> new Created.PoolFull((int) Replies.number(reply.get(1)));
            case "missing" -> new Created.MissingDependency(Replies.string(reply.get(1)));
            case "stored" -> new Created.Stored(task(reply.get(1)));
            default -> throw new IllegalStateException("unexpected create reply " + reply.get(0));
        };
    }

    private static Spec spec(NewTask spec, String version) {
        return new Spec(
                spec.title(),
                spec.body(),
                spec.labels(),
                spec.capabilities(),
                version,
                spec.resources(),
                spec.dependsOn());
    }

    @Override
    public int reroute(String pool, String from, String to, int max) {
        long n = redis.eval(
                REROUTE,
                ScriptOutputType.INTEGER,
                scriptKeys(),
                keys.leaseBase(),
                pool,
                from,
                Integer.toString(max),
                "\"version\":" + Json.write(from),
                "\"version\":" + Json.write(to),
                ROUTED_LABEL,
                TEST_LABEL);
        return (int) n;
    }

    @Override
    public ClaimResult claim(Claimant who, Duration ttl, Instant now, int scanLimit) {
        List<Object> reply = redis.eval(
                CLAIM,
                ScriptOutputType.MULTI,
                scriptKeys(),
                keys.leaseBase(),
                who.agentId(),
                who.pool(),
                Json.write(who.capabilities()),
                who.version(),
                Replies.millis(now.plus(ttl)),
                Replies.millis(now),
                Integer.toString(scanLimit),
                Integer.toString(LAZY_REQUEUE));
        List<Object> claimed = Replies.list(reply.get(0));
        return new ClaimResult(claimed.isEmpty() ? null : task(claimed), tasks(reply.get(1)));
    }

    @Override
    public Change renew(String id, String holder, long token, Duration ttl, Instant now) {
        return change("renew", id, holder, token, now, Replies.millis(now.plus(ttl)), null);
    }

    @Override
    public Change complete(String id, String holder, long token, String result, Instant now) {
        return change("complete", id, holder, token, now, result, null);
    }

    @Override
    public Change fail(String id, String holder, long token, String reason, Backoff backoff, Instant now) {
        return change("fail", id, holder, token, now, reason, backoff);
    }

    @Override
    public Change cancel(String id, String by, String reason, Instant now) {
        return change("cancel", id, by, 0, now, reason, null);
    }

    @Override
    public Change requeue(String id, long token, String reason, Instant now) {
        return change("requeue", id, "hub", token, now, reason, null);
    }

    private Change change(String op, String id, String holder, long token, Instant now, String text, Backoff b) {
        if (Task.number(id) < 0) {
            return new Change(false, null);
        }
        List<Object> reply = redis.eval(
                CHANGE,
                ScriptOutputType.MULTI,
                scriptKeys(),
                keys.leaseBase(),
                op,
                id,
                holder,
                Long.toString(token),
                Replies.millis(now),
                text,
                b == null ? "0" : Long.toString(b.base().toMillis()),
                b == null ? "0" : Long.toString(b.max().toMillis()));
        List<Object> t = Replies.list(reply.get(1));
        return new Change(Replies.number(reply.get(0)) == 1, t.isEmpty() ? null : task(t));
    }

    @Override
    public List<Task> requeueExpired(Instant now, int max) {
        return tasks(redis.eval(
                REAP,
                ScriptOutputType.MULTI,
                scriptKeys(),
                keys.leaseBase(),
                Replies.millis(now),
                Integer.toString(max)));
    }

    @Override
    public int purgeEndedBefore(Instant before, int max) {
        long n = redis.eval(
                PURGE,
                ScriptOutputType.INTEGER,
                scriptKeys(),
                keys.leaseBase(),
                Replies.millis(before),
                Integer.toString(max));
        return (int) n;
    }

    @Override
    public List<Task> claimedBy(String holder) {
        List<Task> out = new ArrayList<>();
        for (String id : redis.call("smembers", c -> c.smembers(keys.taskHolder(holder)))) {
            find(id).filter(t ->
                            t.state() == TaskState.CLAIMED && t.claim().holder().equals(holder))
                    .ifPresent(out::add);
        }
        out.sort(Comparator.comparingLong(t -> Task.number(t.id())));
        return out;
    }

    @Override
    public Optional<Task> find(String id) {
        if (Task.number(id) < 0) {
            return Optional.empty();
        }
        Map<String, String> h = redis.call("hgetall", c -> c.hgetall(keys.task(id)));
        return h.isEmpty() ? Optional.empty() : Optional.of(task(id, h));
    }

    @Override
    public List<TaskEvent> history(String id) {
        if (Task.number(id) < 0) {
            return List.of();
        }
        List<TaskEvent> out = new ArrayList<>();
        for (String json : redis.call("lrange", c -> c.lrange(keys.taskEvents(id), 0, -1))) {
            out.add(event(json));
        }
        return out;
    }

    @Override
    public Page list(TaskState state, String pool, String label, long after, int limit, int scan) {
        List<Object> reply = redis.eval(
                LIST,
                ScriptOutputType.MULTI,
                new String[] {keys.taskAll()},
                keys.leaseBase(),
                Long.toString(after),
                Integer.toString(limit),
                Integer.toString(scan),
                state == null ? "" : state.label(),
                pool == null ? "" : pool,
                label == null ? "" : label);
        long next = Long.parseLong(Replies.string(reply.get(0)));
        return new Page(tasks(reply.subList(1, reply.size())), next);
    }

    @Override
    public QueueStats queue(String pool) {
        String key = keys.taskQueued(pool);
        long depth = redis.call("zcard", c -> c.zcard(key));
        var oldest = redis.call("zrange", c -> c.zrangeWithScores(key, 0, 0));
        return new QueueStats(
                pool,
                (int) depth,
                oldest.isEmpty()
                        ? null
                        : Instant.ofEpochMilli((long) oldest.getFirst().getScore()));
    }

    @Override
    public List<String> pools() {
        return redis.call("zrange", c -> c.zrange(keys.taskPools(), 0, -1));
    }

    @Override
    public Map<String, Set<String>> busyAgents(Instant now, int max) {
        List<Object> reply = redis.eval(
                BUSY,
                ScriptOutputType.MULTI,
                new String[] {keys.taskClaimed()},
                keys.leaseBase(),
                Replies.millis(now),
                Integer.toString(max));
        Map<String, Set<String>> out = new TreeMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            out.computeIfAbsent(Replies.string(reply.get(i)), k -> new TreeSet<>())
                    .add(Replies.string(reply.get(i + 1)));
        }
        return out;
    }

    @Override
    public long changeCount() {
        String v = redis.call("get", c -> c.get(keys.taskChanges()));
        return v == null ? 0 : Long.parseLong(v);
    }

    private static List<Task> tasks(Object reply) {
        List<Task> out = new ArrayList<>();
        for (Object o : Replies.list(reply)) {
            List<Object> t = Replies.list(o);
            if (!t.isEmpty()) {
                out.add(task(t));
            }
        }
        return out;
    }

    /** A task sent as {id, field, value, ...}. */
    private static Task task(Object reply) {
        List<Object> flat = Replies.list(reply);
        return task(Replies.string(flat.getFirst()), Replies.hash(flat.subList(1, flat.size())));
    }

    static Task task(String id, Map<String, String> h) {
        Spec s = Json.read(h.get("spec"), Spec.class);
        String holder = h.get("holder");
        TaskClaim claim = holder == null || holder.isEmpty()
                ? null
                : new TaskClaim(
                        holder,
                        Long.parseLong(h.get("token")),
                        Replies.millis(h.get("claimed")),
                        Replies.millis(h.get("expires")),
                        List.of(Json.read(h.get("leases"), TaskClaim.Held[].class)));
        return new Task(
                id,
                s.title(),
                s.body(),
                Integer.parseInt(h.get("priority")),
                s.labels(),
                h.get("pool"),
                s.capabilities(),
                s.version(),
                s.resources(),
                s.dependsOn(),
                Replies.optionalMillis(h.get("deadline")),
                Integer.parseInt(h.get("max")),
                h.get("by"),
                Replies.millis(h.get("created")),
                TaskState.parse("state", h.get("state")),
                Integer.parseInt(h.get("attempts")),
                Integer.parseInt(h.get("waiting")),
                claim,
                Replies.optionalMillis(h.get("retry")),
                h.getOrDefault("result", ""),
                h.getOrDefault("reason", ""),
                Replies.millis(h.get("updated")));
    }

    /** The hash fields of {@code t} as the scripts write them (for a snapshot restore). */
    private static Map<String, String> fields(Task t) {
        Map<String, String> h = new HashMap<>();
        h.put("pool", t.pool());
        h.put("priority", Integer.toString(t.priority()));
        h.put("deadline", t.deadline() == null ? "" : Replies.millis(t.deadline()));
        h.put("max", Integer.toString(t.maxAttempts()));
        h.put(
                "spec",
                Json.write(new Spec(
                        t.title(), t.body(), t.labels(), t.capabilities(), t.version(), t.resources(), t.dependsOn())));
        h.put("by", t.createdBy());
        h.put("created", Replies.millis(t.createdAt()));
        h.put("state", t.state().label());
        h.put("attempts", Integer.toString(t.attempts()));
        h.put("waiting", Integer.toString(t.waitingOn()));
        if (t.claim() != null) {
            h.put("holder", t.claim().holder());
            h.put("token", Long.toString(t.claim().token()));
            h.put("claimed", Replies.millis(t.claim().claimedAt()));
            h.put("expires", Replies.millis(t.claim().expiresAt()));
            h.put("leases", Json.write(t.claim().leases()));
        }
        h.put("retry", t.retryAt() == null ? "" : Replies.millis(t.retryAt()));
        h.put("result", t.result());
        h.put("reason", t.reason());
        h.put("updated", Replies.millis(t.updatedAt()));
        return h;
    }

    /**
     * Tasks in snapshots: every task with its history, in number order, written back with its indexes as the scripts
     * would have written them; the task counter continues above the highest number restored.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(SnapshotRecord.TaskRow.class, RedisTaskStore::exportTasks, RedisTaskStore::restoreTask);

    private static void exportTasks(RedisSnapshotExport x, Consumer<SnapshotRecord> sink) {
        RedisKeys keys = x.keys();
        List<String> ids = x.sync().zrange(keys.taskAll(), 0, -1);
        List<Map<String, String>> hashes = x.pipe().each(ids, (a, id) -> a.hgetall(keys.task(id)));
        List<List<String>> events = x.pipe().each(ids, (a, id) -> a.lrange(keys.taskEvents(id), 0, -1));
        for (int i = 0; i < ids.size(); i++) {
            List<TaskEvent> history = new ArrayList<>();
            for (String json : events.get(i)) {
                history.add(event(json));
            }
            sink.accept(new SnapshotRecord.TaskRow(task(ids.get(i), hashes.get(i)), history));
        }
    }

    private static void restoreTask(RedisSnapshotRestore w, SnapshotRecord.TaskRow row) {
        RedisKeys keys = w.keys();
        Task t = row.task();
        long n = Task.number(t.id());
        w.hset(keys.task(t.id()), fields(t));
        for (TaskEvent e : row.history()) {
            Map<String, String> json = new HashMap<>();
            json.put("at", Replies.millis(e.at()));
            json.put("kind", e.kind());
            json.put("agent", e.agent());
            json.put("token", Long.toString(e.token()));
            json.put("detail", e.detail());
            w.rpush(keys.taskEvents(t.id()), Json.write(json));
        }
        w.zadd(keys.taskAll(), n, t.id());
        w.zadd(keys.taskPools(), 0, t.pool());
        for (String dep : t.dependsOn()) {
            w.sadd(keys.taskDeps(dep), t.id());
        }
        switch (t.state()) {
            case QUEUED -> {
                w.zadd(keys.taskQueued(t.pool()), t.createdAt().toEpochMilli(), t.id());
                if (t.waitingOn() == 0) {
                    w.zadd(keys.taskReady(t.pool()), (100 - t.priority()) * 1e13 + n, t.id());
                }
            }
            case FAILED -> {
                w.zadd(keys.taskQueued(t.pool()), t.createdAt().toEpochMilli(), t.id());
                w.zadd(keys.taskRetry(), t.retryAt().toEpochMilli(), t.id());
            }
            case CLAIMED -> {
                w.zadd(keys.taskClaimed(), t.claim().expiresAt().toEpochMilli(), t.id());
                w.sadd(keys.taskHolder(t.claim().holder()), t.id());
            }
            case DONE, CANCELLED, DEAD -> w.zadd(keys.taskEnded(), t.updatedAt().toEpochMilli(), t.id());
        }
        w.raise(keys.taskSeq(), n);
    }

    private static TaskEvent event(String json) {
        Map<String, String> e = Json.map(json);
        return new TaskEvent(
                Replies.millis(e.get("at")),
                e.get("kind"),
                e.get("agent"),
                Long.parseLong(e.get("token")),
                e.get("detail"));
    }
}
