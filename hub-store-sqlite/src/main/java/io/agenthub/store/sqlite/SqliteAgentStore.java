package io.agenthub.store.sqlite;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.agent.AgentStore;
import io.agenthub.agent.Disablement;
import io.agenthub.agent.Presence;
import io.agenthub.agent.ProfileChange;
import io.agenthub.auth.Role;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents in SQLite.
 *
 * <p>Presence is soft state. A heartbeat that changes neither status nor task, and every touch, only marks the agent in
 * memory (seen at, online since, context tokens); every {@link #FLUSH_EVERY} one write transaction copies the marks of
 * every agent seen meanwhile into the table. So the heartbeats of a fleet cost one write a second, not one each, and
 * never wait behind the writer. Reads merge the marks over the rows, so a caller reads what it wrote. The process owns
 * the data directory alone (its lock), so no other process reads the table behind the marks. A crash (kill -9) loses
 * at most the marks of the last interval: last-seen times and context-token counts, never a lease, a fencing token, a
 * status or a task (a heartbeat that changes status or task commits before it is answered, as before). Writes that
 * decide on presence (a presence transition of the reaper, a heartbeat that changes status or task) first copy the
 * agent's mark into the row in their own transaction, so they compare against what the agent last did.
 *
 * <p>Lookups of an agent (every heartbeat makes one) read the table once per agent and change: the committed rows are
 * kept in memory, each write of a row drops it after its commit, and the flush applies the marks to the rows held as it
 * does to the table.
 */
final class SqliteAgentStore implements AgentStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteAgentStore.class);
    static final String COLUMNS = "id, name, role, capabilities, labels, status, current_task, context_tokens,"
            + " presence, last_seen, presence_since, created_at, disabled_by, disabled_at, disabled_reason";
    /** Longest a presence mark stays in memory only. */
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    /**
     * An agent marked online in memory: seen at {@code lastSeen}, online since {@code since}, and its context tokens as
     * last reported (null: not reported since the row was written).
     */
    record Mark(Instant lastSeen, Instant since, Long tokens) {
        Mark then(Mark next) {
            return new Mark(
                    lastSeen.isAfter(next.lastSeen) ? lastSeen : next.lastSeen,
                    since.isBefore(next.since) ? since : next.since,
                    next.tokens != null ? next.tokens : tokens);
        }

        Agent over(Agent a) {
            Instant seen = a.lastSeen().isAfter(lastSeen) ? a.lastSeen() : lastSeen;
            Instant online =
                    a.presence() == Presence.ONLINE && a.presenceSince().isBefore(since) ? a.presenceSince() : since;
            return new Agent(
                    a.id(),
                    a.name(),
                    a.role(),
                    a.capabilities(),
                    a.labels(),
                    a.status(),
                    a.currentTask(),
                    tokens == null ? a.contextTokens() : tokens,
                    Presence.ONLINE,
                    seen,
                    online,
                    a.createdAt(),
                    a.disabled());
        }
    }

    /** Most rows kept in memory ({@link #find}); beyond it lookups read the table. */
    static final int MAX_ROWS = 100_000;

    private final SqliteDatabase db;
    private final ConcurrentHashMap<String, Mark> marks = new ConcurrentHashMap<>();
    /**
     * Committed rows by id, as the table holds them (marks not merged in): {@link #find} reads the table once per agent
     * and change. Every write of a row drops it after its commit ({@link #forget}); the flush of marks applies them to
     * the rows held, as it does to the table. A row read from the table is kept only if no write committed since the
     * read began ({@link #rowsVersion}), so an older read never replaces a newer write.
     */
    private final ConcurrentHashMap<String, Agent> rows = new ConcurrentHashMap<>();

    private final Object rowsLock = new Object();
    /** Raised by every committed write of agent rows; guarded by {@link #rowsLock}. */
    private long rowsVersion;

    private final Thread flusher;
    private volatile boolean closing;

    SqliteAgentStore(SqliteDatabase db) {
        this.db = db;
        this.flusher = Thread.ofPlatform().name("sqlite-presence").daemon().start(this::flushLoop);
    }

    private void flushLoop() {
        while (!closing) {
            try {
                Thread.sleep(FLUSH_EVERY.toMillis());
            } catch (InterruptedException e) {
                continue;
            }
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.warn("writing presence failed (retried in {} ms): {}", FLUSH_EVERY.toMillis(), e.getMessage());
            }
        }
    }

    /**
     * Copies every presence mark into its row in one write transaction; a mark is dropped after the commit, unless a
     * newer one replaced it meanwhile (that one goes with the next flush).
     */
    void flush() {
        if (marks.isEmpty()) {
            return;
        }
        Map<String, Mark> written = db.write(c -> {
            Map<String, Mark> taken = Map.copyOf(marks);
            try (PreparedStatement ps = c.prepareStatement(APPLY_MARK)) {
                for (Map.Entry<String, Mark> e : taken.entrySet()) {
                    bindMark(ps, e.getKey(), e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            db.afterCommit(() -> applied(taken));
            return taken;
        });
        // After the commit the row holds the mark, and reading both merges to the same agent: dropping it is invisible.
        written.forEach(marks::remove);
    }

    /** Marks {@code id} seen at {@code now} (with its context tokens, if given), in memory until the next flush. */
    private Mark mark(String id, Instant now, Long tokens) {
        return marks.merge(id, new Mark(now, now, tokens), Mark::then);
    }

    private static final String APPLY_MARK = "UPDATE agent SET presence_since = CASE WHEN presence = 'ONLINE' THEN"
            + " min(presence_since, ?) ELSE ? END, presence = 'ONLINE', last_seen = max(last_seen, ?),"
            + " context_tokens = coalesce(?, context_tokens) WHERE id = ?";

    private static void bindMark(PreparedStatement ps, String id, Mark m) throws SQLException {
        ps.setLong(1, m.since().toEpochMilli());
        ps.setLong(2, m.since().toEpochMilli());
        ps.setLong(3, m.lastSeen().toEpochMilli());
        ps.setObject(4, m.tokens());
        ps.setString(5, id);
    }

    /**
     * Inside a write transaction: copies {@code id}'s mark into its row and drops it, so that what follows in the
     * transaction compares against the agent's latest presence. A mark that arrives meanwhile stays (it is newer).
     */
    private void settle(Connection c, String id) throws SQLException {
        Mark m = marks.get(id);
        if (m == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(APPLY_MARK)) {
            bindMark(ps, id, m);
            ps.executeUpdate();
        }
        marks.remove(id, m);
    }

    /** After a commit that changed {@code id}'s row in a way only the table knows: the next lookup reads it. */
    private void forget(String id) {
        synchronized (rowsLock) {
            rowsVersion++;
            rows.remove(id);
        }
    }

    /** After a flush committed: the rows held get the marks as the table got them ({@link #APPLY_MARK}). */
    private void applied(Map<String, Mark> written) {
        synchronized (rowsLock) {
            rowsVersion++;
            written.forEach((id, m) -> rows.computeIfPresent(id, (k, row) -> m.over(row)));
        }
    }

    private Agent merged(Agent a) {
        Mark m = marks.get(a.id());
        return m == null ? a : m.over(a);
    }

    private Optional<Agent> mergedIfAny(Optional<Agent> a) {
        return a.map(this::merged);
    }

    /** Writes the remaining marks and stops the flushes. */
    @Override
    public void close() {
        closing = true;
        flusher.interrupt();
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("writing presence at close failed: {}", e.getMessage());
        }
    }

    @Override
    public boolean create(Agent a) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                bind(ps, a);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Binds every column of {@link #COLUMNS}, in order. */
    static void bind(PreparedStatement ps, Agent a) throws SQLException {
        ps.setString(1, a.id());
        ps.setString(2, a.name());
        ps.setString(3, a.role().name());
        ps.setString(4, Json.write(a.capabilities()));
        ps.setString(5, Json.write(a.labels()));
        ps.setString(6, a.status().name());
        ps.setString(7, a.currentTask());
        ps.setLong(8, a.contextTokens());
        ps.setString(9, a.presence().name());
        ps.setLong(10, a.lastSeen().toEpochMilli());
        ps.setLong(11, a.presenceSince().toEpochMilli());
        ps.setLong(12, a.createdAt().toEpochMilli());
        Disablement d = a.disabled();
        ps.setString(13, d == null ? null : d.by());
        ps.setObject(14, d == null ? null : d.at().toEpochMilli());
        ps.setString(15, d == null ? null : d.reason());
    }

    @Override
    public Optional<Agent> find(String id) {
        Agent row = rows.get(id);
        if (row != null) {
            return Optional.of(merged(row));
        }
        long version;
        synchronized (rowsLock) {
            version = rowsVersion;
        }
        Optional<Agent> read = db.read(c -> find(c, id));
        read.ifPresent(a -> {
            synchronized (rowsLock) {
                if (rowsVersion == version && rows.size() < MAX_ROWS) {
                    rows.put(id, a);
                }
            }
        });
        return mergedIfAny(read);
    }

    private static Optional<Agent> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agent WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Agent> list() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agent ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                List<Agent> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(merged(agent(rs)));
                }
                return out;
            }
        });
    }

    /**
     * A heartbeat that changes neither status nor task is a presence mark (see the class comment); one that changes
     * either commits before it returns.
     */
    @Override
    public Optional<Beat> heartbeat(String id, AgentStatus status, String task, Long tokens, Instant now) {
        Optional<Agent> current = find(id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Agent a = current.get();
        if ((status == null || status == a.status()) && (task == null || task.equals(a.currentTask()))) {
            return Optional.of(new Beat(mark(id, now, tokens).over(a), false));
        }
        return mergedIfAny(db.write(c -> {
                    db.afterCommit(() -> forget(id));
                    settle(c, id);
                    try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET status = coalesce(?, status),"
                            + " current_task = coalesce(?, current_task), context_tokens = coalesce(?, context_tokens),"
                            + " presence_since = CASE WHEN presence = 'ONLINE' THEN presence_since ELSE ? END,"
                            + " presence = 'ONLINE', last_seen = max(last_seen, ?) WHERE id = ? RETURNING "
                            + COLUMNS)) {
                        ps.setString(1, status == null ? null : status.name());
                        ps.setString(2, task);
                        ps.setObject(3, tokens);
                        ps.setLong(4, now.toEpochMilli());
                        ps.setLong(5, now.toEpochMilli());
                        ps.setString(6, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
                        }
                    }
                }))
                .map(after -> new Beat(
                        after,
                        after.status() != a.status() || !after.currentTask().equals(a.currentTask())));
    }

    /** A presence mark in memory (see the class comment); a touch of an unknown id is dropped with the next flush. */
    @Override
    public void touch(String id, Instant now) {
        mark(id, now, null);
    }

    @Override
    public boolean transition(String id, Presence expected, Instant lastSeen, Presence next, Instant now) {
        return db.write(c -> {
            db.afterCommit(() -> forget(id));
            settle(c, id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET presence = ?, presence_since = ? WHERE"
                    + " id = ? AND presence = ? AND last_seen = ?")) {
                ps.setString(1, next.name());
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, id);
                ps.setString(4, expected.name());
                ps.setLong(5, lastSeen.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Agent> updateProfile(String id, ProfileChange change) {
        // Read and write in one write transaction: a concurrent change of other labels is not lost.
        return mergedIfAny(db.write(c -> {
            db.afterCommit(() -> forget(id));
            Optional<Agent> current = find(c, id);
            if (current.isEmpty()) {
                return current;
            }
            Agent a = current.get();
            Map<String, String> labels = change.mergeLabels(a.labels());
            if (change.refuses(a.labels(), labels)) {
                throw change.tooManyLabels(labels.size());
            }
            String name = change.name() == null ? a.name() : change.name().isEmpty() ? id : change.name();
            List<String> caps = change.capabilities() == null ? a.capabilities() : change.capabilities();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agent SET name = ?, capabilities = ?, labels = ?" + " WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setString(1, name);
                ps.setString(2, Json.write(caps));
                ps.setString(3, Json.write(labels));
                ps.setString(4, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
                }
            }
        }));
    }

    @Override
    public Optional<Agent> disable(String id, Disablement d) {
        return mergedIfAny(db.write(c -> {
            db.afterCommit(() -> forget(id));
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET disabled_by = ?, disabled_at = ?,"
                    + " disabled_reason = ? WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setString(1, d.by());
                ps.setLong(2, d.at().toEpochMilli());
                ps.setString(3, d.reason());
                ps.setString(4, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
                }
            }
        }));
    }

    @Override
    public Optional<Agent> enable(String id) {
        return mergedIfAny(db.write(c -> {
            db.afterCommit(() -> forget(id));
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET disabled_by = NULL, disabled_at = NULL,"
                    + " disabled_reason = NULL WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
                }
            }
        }));
    }

    static Agent agent(ResultSet rs) throws SQLException {
        return new Agent(
                rs.getString(1),
                rs.getString(2),
                Role.valueOf(rs.getString(3)),
                Json.list(rs.getString(4)),
                Json.map(rs.getString(5)),
                AgentStatus.valueOf(rs.getString(6)),
                rs.getString(7),
                rs.getLong(8),
                Presence.valueOf(rs.getString(9)),
                Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)),
                Instant.ofEpochMilli(rs.getLong(12)),
                disablement(rs));
    }

    private static Disablement disablement(ResultSet rs) throws SQLException {
        long at = rs.getLong(14);
        if (rs.wasNull()) {
            return null;
        }
        return new Disablement(rs.getString(13), Instant.ofEpochMilli(at), rs.getString(15));
    }

    /** Agents in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("agent")
            .record(
                    SnapshotRecord.AgentRow.class,
                    (c, sink) -> SqliteSnapshotPart.each(
                            c,
                            "SELECT " + COLUMNS + " FROM agent ORDER BY id",
                            rs -> new SnapshotRecord.AgentRow(agent(rs)),
                            sink),
                    (c, a) -> insertAgent(c, a.agent()));

    private static void insertAgent(Connection c, io.agenthub.agent.Agent a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agent (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, a);
            ps.executeUpdate();
        }
    }
}
