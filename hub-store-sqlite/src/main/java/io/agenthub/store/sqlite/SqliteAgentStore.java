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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Agents in SQLite. */
final class SqliteAgentStore implements AgentStore {
    static final String COLUMNS = "id, name, role, capabilities, labels, status, current_task, context_tokens,"
            + " presence, last_seen, presence_since, created_at, disabled_by, disabled_at, disabled_reason";
    private final SqliteDatabase db;

    SqliteAgentStore(SqliteDatabase db) {
        this.db = db;
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
        return db.read(c -> find(c, id));
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
                    out.add(agent(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Agent> heartbeat(String id, AgentStatus status, String task, Long tokens, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET status = coalesce(?, status),"
                    + " current_task = coalesce(?, current_task), context_tokens = coalesce(?, context_tokens),"
                    + " presence_since = CASE WHEN presence = 'ONLINE' THEN presence_since ELSE ? END,"
                    + " presence = 'ONLINE', last_seen = max(last_seen, ?) WHERE id = ? RETURNING " + COLUMNS)) {
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
        });
    }

    @Override
    public void touch(String id, Instant now) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET presence_since = CASE WHEN presence ="
                    + " 'ONLINE' THEN presence_since ELSE ? END, presence = 'ONLINE', last_seen = max(last_seen, ?)"
                    + " WHERE id = ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean transition(String id, Presence expected, Instant lastSeen, Presence next, Instant now) {
        return db.write(c -> {
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
        return db.write(c -> {
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
        });
    }

    @Override
    public Optional<Agent> disable(String id, Disablement d) {
        return db.write(c -> {
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
        });
    }

    @Override
    public Optional<Agent> enable(String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agent SET disabled_by = NULL, disabled_at = NULL,"
                    + " disabled_reason = NULL WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
                }
            }
        });
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
