package io.agenthub.store.sqlite;

import io.agenthub.lease.Lease;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskClaim;
import io.agenthub.task.TaskEvent;
import io.agenthub.task.TaskState;
import io.agenthub.task.TaskStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The work queue in SQLite. Every change is one transaction of the single writer of {@link SqliteDatabase}, which is
 * what makes a claim atomic; claims lease the task's resources in the same transaction through {@link
 * SqliteLeaseStore}'s helpers, with the one fencing-token counter.
 */
final class SqliteTaskStore implements TaskStore {
    static final String COLUMNS = "seq, pool, priority, deadline, max_attempts, spec, created_by, created_at, state,"
            + " attempts, waiting, holder, token, claimed_at, expires_at, leases, retry_at, result, reason, updated_at";
    /** Expired claims one claim requeues on its way, so that a claim stays short after a mass expiry. */
    private static final int LAZY_REQUEUE = 20;
    /** A pool's waiting tasks, through the partial index of waiting tasks, never over the pool's finished history. */
    static final String QUEUE = "SELECT count(*), min(created_at) FROM task INDEXED BY task_queued WHERE pool = ? AND"
            + " state IN ('queued', 'failed')";

    static final String DEPTH =
            "SELECT count(*) FROM task INDEXED BY task_queued WHERE pool = ? AND state IN ('queued', 'failed')";

    private final SqliteDatabase db;

    /** The creation fields that live in the spec column. */
    record Spec(
            String title,
            String body,
            List<String> labels,
            List<String> capabilities,
            String version,
            List<String> resources,
            List<String> dependsOn) {}

    SqliteTaskStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Created create(NewTask spec, String createdBy, Instant now, int maxDepth, Split split) {
        return db.write(c -> {
            int depth = depth(c, spec.pool());
            if (depth >= maxDepth) {
                return new Created.PoolFull(depth);
            }
            int waiting = 0;
            List<Long> deps = new ArrayList<>();
            for (String dep : spec.dependsOn()) {
                long n = Task.number(dep);
                Optional<String> state = scalar(c, "SELECT state FROM task WHERE seq = ?", n);
                if (state.isEmpty()) {
                    return new Created.MissingDependency(dep);
                }
                deps.add(n);
                if (!state.get().equals(TaskState.DONE.label())) {
                    waiting++;
                }
            }
            long seq = counter(c, "task_seq");
            String version = split != null && Split.bucket(routeNumber(c, spec.pool())) < split.weight()
                    ? split.version()
                    : spec.version();
            Spec s = new Spec(
                    spec.title(),
                    spec.body(),
                    spec.labels(),
                    spec.capabilities(),
                    version,
                    spec.resources(),
                    spec.dependsOn());
            exec(
                    c,
                    "INSERT INTO task (seq, pool, priority, deadline, max_attempts, spec, created_by, created_at, state,"
                            + " waiting, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                    seq,
                    spec.pool(),
                    spec.priority(),
                    spec.deadline() == null ? null : spec.deadline().toEpochMilli(),
                    spec.maxAttempts(),
                    Json.write(s),
                    createdBy,
                    now.toEpochMilli(),
                    waiting,
                    now.toEpochMilli());
            for (long dep : deps) {
                exec(c, "INSERT OR IGNORE INTO task_dep (dep, task) VALUES (?, ?)", dep, seq);
            }
            event(c, seq, now, "created", createdBy, 0, "");
            changed(c);
            return new Created.Stored(load(c, seq).orElseThrow());
        });
    }

    @Override
    public int reroute(String pool, String from, String to, int max) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE task SET spec = json_set(spec, '$.version', ?)"
                    + " WHERE seq IN (SELECT seq FROM task WHERE pool = ? AND state IN ('queued', 'failed')"
                    + " AND json_extract(spec, '$.version') = ?"
                    + " AND EXISTS (SELECT 1 FROM json_each(spec, '$.labels') WHERE value = ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM json_each(spec, '$.labels') WHERE value = ?) LIMIT ?)")) {
                ps.setString(1, to);
                ps.setString(2, pool);
                ps.setString(3, from);
                ps.setString(4, ROUTED_LABEL);
                ps.setString(5, TEST_LABEL);
                ps.setInt(6, max);
                int n = ps.executeUpdate();
                if (n > 0) {
                    changed(c);
                }
                return n;
            }
        });
    }

    @Override
    public ClaimResult claim(Claimant who, Duration ttl, Instant now, int scanLimit) {
        if (!db.read(c -> mayHaveWork(c, who.pool(), now))) {
            // Idle long-polls end here: a read on three partial indexes instead of the writer lock. A task created
            // after this read publishes the change signal, and the waiting claimer looks again.
            return new ClaimResult(null, List.of());
        }
        return db.write(c -> {
            List<Task> died = new ArrayList<>();
            for (Task t : requeueExpired(c, now, LAZY_REQUEUE)) {
                if (t.state() == TaskState.DEAD) {
                    died.add(t);
                }
            }
            promoteRetries(c, now);
            long ms = now.toEpochMilli();
            List<Long> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM task WHERE pool = ? AND state = 'queued'"
                    + " AND waiting = 0 ORDER BY priority DESC, seq LIMIT ?")) {
                ps.setString(1, who.pool());
                ps.setInt(2, scanLimit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getLong(1));
                    }
                }
            }
            HashSet<String> caps = new HashSet<>(who.capabilities());
            for (long seq : candidates) {
                Task t = load(c, seq).orElseThrow();
                if (t.deadline() != null && !t.deadline().isAfter(now)) {
                    died.add(finish(c, t, TaskState.DEAD, "hub", 0, "deadline " + t.deadline() + " passed", now));
                    continue;
                }
                if (!caps.containsAll(t.capabilities())
                        || (!t.version().isEmpty() && !t.version().equals(who.version()))
                        || blocked(c, t.resources(), who.agentId(), ms)) {
                    continue;
                }
                Instant expires = now.plus(ttl);
                List<TaskClaim.Held> held = new ArrayList<>();
                for (String r : t.resources()) {
                    long token = SqliteLeaseStore.nextFence(c);
                    SqliteLeaseStore.put(c, db.leaseNames(), r, who.agentId(), token, now, expires, "task " + t.id());
                    held.add(new TaskClaim.Held(r, token));
                }
                long token = SqliteLeaseStore.nextFence(c);
                exec(
                        c,
                        "UPDATE task SET state = 'claimed', attempts = attempts + 1, holder = ?, token = ?, claimed_at"
                                + " = ?, expires_at = ?, leases = ?, retry_at = NULL, updated_at = ? WHERE seq = ?",
                        who.agentId(),
                        token,
                        ms,
                        expires.toEpochMilli(),
                        Json.write(held),
                        ms,
                        seq);
                event(c, seq, now, "claimed", who.agentId(), token, "");
                return new ClaimResult(load(c, seq).orElseThrow(), died);
            }
            return new ClaimResult(null, died);
        });
    }

    @Override
    public Change renew(String id, String holder, long token, Duration ttl, Instant now) {
        return db.write(c -> {
            Optional<Task> found = load(c, Task.number(id));
            if (found.isEmpty() || !found.get().claimedBy(holder, token, now)) {
                return new Change(false, found.orElse(null));
            }
            long expires = now.plus(ttl).toEpochMilli();
            for (TaskClaim.Held h : found.get().claim().leases()) {
                exec(
                        c,
                        "UPDATE lease SET expires_at = ? WHERE resource = ? AND token = ? AND holder = ? AND"
                                + " released_at IS NULL AND expires_at > ?",
                        expires,
                        h.resource(),
                        h.token(),
                        holder,
                        now.toEpochMilli());
            }
            exec(
                    c,
                    "UPDATE task SET expires_at = ?, updated_at = ? WHERE seq = ?",
                    expires,
                    now.toEpochMilli(),
                    Task.number(id));
            return new Change(true, load(c, Task.number(id)).orElseThrow());
        });
    }

    @Override
    public Change complete(String id, String holder, long token, String result, Instant now) {
        return db.write(c -> {
            Optional<Task> found = load(c, Task.number(id));
            if (found.isEmpty() || !found.get().claimedBy(holder, token, now)) {
                return new Change(false, found.orElse(null));
            }
            Task t = found.get();
            releaseLeases(c, t, now);
            exec(
                    c,
                    "UPDATE task SET state = 'done', result = ?, expires_at = ?, updated_at = ? WHERE seq = ?",
                    result,
                    now.toEpochMilli(),
                    now.toEpochMilli(),
                    Task.number(id));
            event(c, Task.number(id), now, "completed", holder, token, result);
            exec(
                    c,
                    "UPDATE task SET waiting = waiting - 1 WHERE waiting > 0 AND seq IN (SELECT task FROM task_dep WHERE"
                            + " dep = ?)",
                    Task.number(id));
            changed(c);
            return new Change(true, load(c, Task.number(id)).orElseThrow());
        });
    }

    @Override
    public Change fail(String id, String holder, long token, String reason, Backoff backoff, Instant now) {
        return db.write(c -> {
            Optional<Task> found = load(c, Task.number(id));
            if (found.isEmpty() || !found.get().claimedBy(holder, token, now)) {
                return new Change(false, found.orElse(null));
            }
            Task t = found.get();
            releaseLeases(c, t, now);
            event(c, Task.number(id), now, "failed", holder, token, reason);
            Task after = t.attempts() >= t.maxAttempts()
                    ? finish(c, t, TaskState.DEAD, "hub", token, reason, now)
                    : retryLater(c, t, reason, now.plus(backoff.after(t.attempts())), now);
            return new Change(true, after);
        });
    }

    @Override
    public Change cancel(String id, String by, String reason, Instant now) {
        return db.write(c -> {
            Optional<Task> found = load(c, Task.number(id));
            if (found.isEmpty() || found.get().state().isFinal()) {
                return new Change(false, found.orElse(null));
            }
            Task t = found.get();
            if (t.state() == TaskState.CLAIMED) {
                releaseLeases(c, t, now);
            }
            return new Change(true, finish(c, t, TaskState.CANCELLED, by, 0, reason, now));
        });
    }

    @Override
    public Change requeue(String id, long token, String reason, Instant now) {
        return db.write(c -> {
            Optional<Task> found = load(c, Task.number(id));
            if (found.isEmpty()
                    || found.get().state() != TaskState.CLAIMED
                    || found.get().claim().token() != token) {
                return new Change(false, found.orElse(null));
            }
            return new Change(true, takeBack(c, found.get(), "requeued", reason, now));
        });
    }

    @Override
    public List<Task> requeueExpired(Instant now, int max) {
        return db.write(c -> {
            List<Task> out = requeueExpired(c, now, max);
            out.addAll(promoteRetries(c, now));
            return out;
        });
    }

    @Override
    public List<Task> claimedBy(String holder) {
        return db.read(c -> {
            List<Task> out = new ArrayList<>();
            for (long seq :
                    seqs(c, "SELECT seq FROM task WHERE state = 'claimed' AND holder = ? ORDER BY seq", holder)) {
                load(c, seq).ifPresent(out::add);
            }
            return out;
        });
    }

    @Override
    public Optional<Task> find(String id) {
        long n = Task.number(id);
        return n < 0 ? Optional.empty() : db.read(c -> load(c, n));
    }

    @Override
    public List<TaskEvent> history(String id) {
        return db.read(c -> {
            List<TaskEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, kind, agent, token, detail FROM task_event WHERE task = ? ORDER BY n")) {
                ps.setLong(1, Task.number(id));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TaskEvent(
                                Instant.ofEpochMilli(rs.getLong(1)),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Page list(TaskState state, String pool, String label, long after, int limit, int scan) {
        return db.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT seq FROM task WHERE seq > ?");
            List<Object> args = new ArrayList<>(List.of(after));
            if (state != null) {
                sql.append(" AND state = ?");
                args.add(state.label());
            }
            if (pool != null) {
                sql.append(" AND pool = ?");
                args.add(pool);
            }
            if (label != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM json_each(spec, '$.labels') WHERE value = ?)");
                args.add(label);
            }
            sql.append(" ORDER BY seq LIMIT ?");
            args.add(limit + 1);
            List<Long> seqs = seqs(c, sql.toString(), args.toArray());
            List<Task> out = new ArrayList<>();
            for (long seq : seqs.subList(0, Math.min(limit, seqs.size()))) {
                load(c, seq).ifPresent(out::add);
            }
            return new Page(out, seqs.size() > limit ? seqs.get(limit - 1) : 0);
        });
    }

    @Override
    public QueueStats queue(String pool) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(QUEUE)) {
                ps.setString(1, pool);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long oldest = rs.getLong(2);
                    return new QueueStats(pool, rs.getInt(1), rs.wasNull() ? null : Instant.ofEpochMilli(oldest));
                }
            }
        });
    }

    @Override
    public List<String> pools() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            // A skip scan of the pool index: one seek per pool, where DISTINCT would read every task ever created.
            try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE p(pool) AS (SELECT min(pool) FROM task"
                            + " UNION ALL SELECT (SELECT min(pool) FROM task WHERE pool > p.pool) FROM p WHERE p.pool"
                            + " IS NOT NULL) SELECT pool FROM p WHERE pool IS NOT NULL");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, Set<String>> busyAgents(Instant now, int max) {
        return db.read(c -> {
            Map<String, Set<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT pool, holder FROM task WHERE state = 'claimed' AND"
                    + " expires_at > ? ORDER BY expires_at DESC LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>())
                                .add(rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public long changeCount() {
        return db.read(c -> scalar(c, "SELECT value FROM counter WHERE name = 'task_changes'")
                .map(Long::parseLong)
                .orElse(0L));
    }

    /** Final tasks that ended before a time, earliest first, through the partial index {@code task_ended}. */
    private static final String ENDED = "SELECT seq FROM task INDEXED BY task_ended WHERE state IN ('done',"
            + " 'cancelled', 'dead') AND updated_at < ? ORDER BY updated_at LIMIT ?";

    @Override
    public int purgeEndedBefore(Instant before, int max) {
        long cut = before.toEpochMilli();
        // The read first: on most passes nothing has to go, and then the purge costs no write at all.
        if (db.read(c -> seqs(c, ENDED, cut, 1)).isEmpty()) {
            return 0;
        }
        return db.write(c -> {
            List<Long> ended = seqs(c, ENDED, cut, max);
            for (long seq : ended) {
                for (String dep : load(c, seq).orElseThrow().dependsOn()) {
                    exec(c, "DELETE FROM task_dep WHERE dep = ? AND task = ?", Task.number(dep), seq);
                }
                exec(c, "DELETE FROM task_dep WHERE dep = ?", seq);
                exec(c, "DELETE FROM task_event WHERE task = ?", seq);
                exec(c, "DELETE FROM task WHERE seq = ?", seq);
            }
            return ended.size();
        });
    }

    private static List<Task> requeueExpired(Connection c, Instant now, int max) throws SQLException {
        List<Task> out = new ArrayList<>();
        for (long seq : seqs(
                c,
                "SELECT seq FROM task WHERE state = 'claimed' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
                now.toEpochMilli(),
                max)) {
            Task t = load(c, seq).orElseThrow();
            out.add(takeBack(c, t, "expired", "claim of " + t.claim().holder() + " expired", now));
        }
        return out;
    }

    /** Queues failed tasks whose retry time has come. */
    private static List<Task> promoteRetries(Connection c, Instant now) throws SQLException {
        List<Task> out = new ArrayList<>();
        for (long seq : seqs(
                c,
                "SELECT seq FROM task WHERE state = 'failed' AND retry_at <= ? ORDER BY retry_at LIMIT 100",
                now.toEpochMilli())) {
            exec(
                    c,
                    "UPDATE task SET state = 'queued', retry_at = NULL, updated_at = ? WHERE seq = ?",
                    now.toEpochMilli(),
                    seq);
            event(c, seq, now, "retry", "hub", 0, "");
            out.add(load(c, seq).orElseThrow());
        }
        if (!out.isEmpty()) {
            changed(c);
        }
        return out;
    }

    /** Ends a claim on behalf of the hub: the task is queued again, or dead when out of attempts. */
    private static Task takeBack(Connection c, Task t, String kind, String reason, Instant now) throws SQLException {
        releaseLeases(c, t, now);
        long seq = Task.number(t.id());
        event(c, seq, now, kind, "hub", t.claim().token(), reason);
        if (t.attempts() >= t.maxAttempts()) {
            return finish(c, t, TaskState.DEAD, "hub", t.claim().token(), reason + "; no attempts left", now);
        }
        exec(
                c,
                "UPDATE task SET state = 'queued', reason = ?, updated_at = ? WHERE seq = ?",
                reason,
                now.toEpochMilli(),
                seq);
        changed(c);
        return load(c, seq).orElseThrow();
    }

    private static Task retryLater(Connection c, Task t, String reason, Instant at, Instant now) throws SQLException {
        long seq = Task.number(t.id());
        exec(
                c,
                "UPDATE task SET state = 'failed', reason = ?, retry_at = ?, updated_at = ? WHERE seq = ?",
                reason,
                at.toEpochMilli(),
                now.toEpochMilli(),
                seq);
        return load(c, seq).orElseThrow();
    }

    private static Task finish(Connection c, Task t, TaskState state, String by, long token, String reason, Instant now)
            throws SQLException {
        long seq = Task.number(t.id());
        exec(
                c,
                "UPDATE task SET state = ?, reason = ?, retry_at = NULL, updated_at = ? WHERE seq = ?",
                state.label(),
                reason,
                now.toEpochMilli(),
                seq);
        event(c, seq, now, state == TaskState.DEAD ? "dead" : "cancelled", by, token, reason);
        changed(c);
        return load(c, seq).orElseThrow();
    }

    /** True when another holder's active lease overlaps one of the resources. */
    private static boolean blocked(Connection c, List<String> resources, String agent, long now) throws SQLException {
        for (String r : resources) {
            for (Lease l : SqliteLeaseStore.overlapping(c, r, now)) {
                if (!l.holder().equals(agent)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ends the claim's leases that are still the grants it took. */
    private static void releaseLeases(Connection c, Task t, Instant now) throws SQLException {
        for (TaskClaim.Held h : t.claim().leases()) {
            exec(
                    c,
                    "UPDATE lease SET released_at = ? WHERE resource = ? AND token = ? AND released_at IS NULL AND"
                            + " expires_at > ?",
                    now.toEpochMilli(),
                    h.resource(),
                    h.token(),
                    now.toEpochMilli());
        }
    }

    private static int depth(Connection c, String pool) throws SQLException {
        return scalar(c, DEPTH, pool).map(Integer::parseInt).orElse(0);
    }

    private static void event(Connection c, long seq, Instant at, String kind, String agent, long token, String detail)
            throws SQLException {
        exec(
                c,
                "INSERT INTO task_event (task, n, at, kind, agent, token, detail) VALUES (?, (SELECT coalesce(max(n),"
                        + " 0) + 1 FROM task_event WHERE task = ?), ?, ?, ?, ?, ?)",
                seq,
                seq,
                at.toEpochMilli(),
                kind,
                agent,
                token,
                detail);
    }

    /** The pool's next split number (see {@link Split}), from a counter row made on first use. */
    private static long routeNumber(Connection c, String pool) throws SQLException {
        exec(c, "INSERT INTO counter (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING", "route:" + pool);
        return counter(c, "route:" + pool);
    }

    private static void changed(Connection c) throws SQLException {
        counter(c, "task_changes");
    }

    private static long counter(Connection c, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE counter SET value = value + 1 WHERE name = ? RETURNING value")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Optional<Task> load(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM task WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(task(rs)) : Optional.empty();
            }
        }
    }

    static Task task(ResultSet rs) throws SQLException {
        Spec s = Json.read(rs.getString(6), Spec.class);
        String holder = rs.getString(12);
        TaskClaim claim = holder == null
                ? null
                : new TaskClaim(
                        holder,
                        rs.getLong(13),
                        Instant.ofEpochMilli(rs.getLong(14)),
                        Instant.ofEpochMilli(rs.getLong(15)),
                        List.of(Json.read(rs.getString(16), TaskClaim.Held[].class)));
        return new Task(
                Task.id(rs.getLong(1)),
                s.title(),
                s.body(),
                rs.getInt(3),
                s.labels(),
                rs.getString(2),
                s.capabilities(),
                s.version(),
                s.resources(),
                s.dependsOn(),
                instant(rs, 4),
                rs.getInt(5),
                rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8)),
                TaskState.parse("state", rs.getString(9)),
                rs.getInt(10),
                rs.getInt(11),
                claim,
                instant(rs, 17),
                rs.getString(18),
                rs.getString(19),
                Instant.ofEpochMilli(rs.getLong(20)));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Optional<String> scalar(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Whether a claim in {@code pool} could change anything now: a ready task in the pool, a claim that expired (any
     * pool: a claim requeues those lazily) or a retry that is due. False means a claim would find nothing.
     */
    private static boolean mayHaveWork(Connection c, String pool, Instant now) throws SQLException {
        long ms = now.toEpochMilli();
        return scalar(
                        c,
                        "SELECT EXISTS (SELECT 1 FROM task WHERE pool = ? AND state = 'queued' AND waiting = 0)"
                                + " OR EXISTS (SELECT 1 FROM task WHERE state = 'claimed' AND expires_at <= ?)"
                                + " OR EXISTS (SELECT 1 FROM task WHERE state = 'failed' AND retry_at <= ?)",
                        pool,
                        ms,
                        ms)
                .map("1"::equals)
                .orElse(true);
    }

    private static List<Long> seqs(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        }
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /** Every task with its history, in number order, on the snapshot's connection. */
    static void export(Connection c, java.util.function.Consumer<io.agenthub.snapshot.SnapshotRecord> sink)
            throws SQLException {
        for (long seq : seqs(c, "SELECT seq FROM task ORDER BY seq")) {
            Task t = load(c, seq).orElseThrow();
            List<TaskEvent> history = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, kind, agent, token, detail FROM task_event WHERE task = ? ORDER BY n")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        history.add(new TaskEvent(
                                Instant.ofEpochMilli(rs.getLong(1)),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getString(5)));
                    }
                }
            }
            sink.accept(new io.agenthub.snapshot.SnapshotRecord.TaskRow(t, history));
        }
    }

    /** Writes an exported task as it was; the task number counter is raised to at least its number. */
    static void insert(Connection c, io.agenthub.snapshot.SnapshotRecord.TaskRow row) throws SQLException {
        Task t = row.task();
        long seq = Task.number(t.id());
        TaskClaim claim = t.claim();
        exec(
                c,
                "INSERT INTO task (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq,
                t.pool(),
                t.priority(),
                t.deadline() == null ? null : t.deadline().toEpochMilli(),
                t.maxAttempts(),
                Json.write(new Spec(
                        t.title(), t.body(), t.labels(), t.capabilities(), t.version(), t.resources(), t.dependsOn())),
                t.createdBy(),
                t.createdAt().toEpochMilli(),
                t.state().label(),
                t.attempts(),
                t.waitingOn(),
                claim == null ? null : claim.holder(),
                claim == null ? null : claim.token(),
                claim == null ? null : claim.claimedAt().toEpochMilli(),
                claim == null ? null : claim.expiresAt().toEpochMilli(),
                claim == null ? null : Json.write(claim.leases()),
                t.retryAt() == null ? null : t.retryAt().toEpochMilli(),
                t.result(),
                t.reason(),
                t.updatedAt().toEpochMilli());
        for (String dep : t.dependsOn()) {
            exec(c, "INSERT OR IGNORE INTO task_dep (dep, task) VALUES (?, ?)", Task.number(dep), seq);
        }
        for (TaskEvent e : row.history()) {
            event(c, seq, e.at(), e.kind(), e.agent(), e.token(), e.detail());
        }
        exec(c, "UPDATE counter SET value = max(value, ?) WHERE name = 'task_seq'", seq);
    }

    /** Tasks in snapshots, with their dependencies and events. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("task", "task_dep", "task_event")
            .record(SnapshotRecord.TaskRow.class, SqliteTaskStore::export, SqliteTaskStore::insert);
}
