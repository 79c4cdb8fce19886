package io.agenthub.store.sqlite;

import io.agenthub.agent.Progress;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Credential;
import io.agenthub.error.HubException;
import io.agenthub.handoff.Handoff;
import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryWords;
import io.agenthub.message.Message;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.snapshot.SnapshotRecord.AckRow;
import io.agenthub.snapshot.SnapshotRecord.AgentRow;
import io.agenthub.snapshot.SnapshotRecord.AlertEventRow;
import io.agenthub.snapshot.SnapshotRecord.AlertStateRow;
import io.agenthub.snapshot.SnapshotRecord.AuditRow;
import io.agenthub.snapshot.SnapshotRecord.BudgetAckRow;
import io.agenthub.snapshot.SnapshotRecord.BudgetAlertRow;
import io.agenthub.snapshot.SnapshotRecord.CheckpointRow;
import io.agenthub.snapshot.SnapshotRecord.CredentialRow;
import io.agenthub.snapshot.SnapshotRecord.Cursor;
import io.agenthub.snapshot.SnapshotRecord.ErrorEventRow;
import io.agenthub.snapshot.SnapshotRecord.ErrorHourRow;
import io.agenthub.snapshot.SnapshotRecord.ErrorIssueRow;
import io.agenthub.snapshot.SnapshotRecord.Fence;
import io.agenthub.snapshot.SnapshotRecord.HaltRow;
import io.agenthub.snapshot.SnapshotRecord.HandoffRow;
import io.agenthub.snapshot.SnapshotRecord.InboxRow;
import io.agenthub.snapshot.SnapshotRecord.LeaseRow;
import io.agenthub.snapshot.SnapshotRecord.MemoryRow;
import io.agenthub.snapshot.SnapshotRecord.MessageRow;
import io.agenthub.snapshot.SnapshotRecord.ProgressRow;
import io.agenthub.snapshot.SnapshotRecord.SelfTestRow;
import io.agenthub.snapshot.SnapshotRecord.TierRow;
import io.agenthub.snapshot.SnapshotRecord.TraceRow;
import io.agenthub.snapshot.SnapshotRecord.UsageCounter;
import io.agenthub.snapshot.SnapshotStore;
import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.Halt;
import io.agenthub.usage.Tally;
import io.agenthub.usage.UsageRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Snapshots of the SQLite store: the export reads every table in one read transaction (one WAL snapshot, so it is
 * consistent while the hub keeps running); the restore writes everything in one write transaction of its own
 * ({@link SqliteDatabase#writeAlone}), all or nothing however large the snapshot: the caller waits for the commit without
 * the writer's confirm timeout, and a failure anywhere (a bad record, a truncated file, a full disk) rolls back to the
 * empty store.
 */
final class SqliteSnapshotStore implements SnapshotStore {
    /**
     * Every table that holds state, for the emptiness check and a test that compares it with the schema. Tables not
     * listed are derived (full-text index, tag index, {@code usage_total}), bookkeeping ({@code schema_version},
     * {@code sqlite_sequence}) or transient ({@code op_counter}).
     */
    static final List<String> TABLES = List.of(
            "counter",
            "credential",
            "agent",
            "audit",
            "lease",
            "message",
            "inbox",
            "inbox_ack",
            "memory",
            "checkpoint",
            "agent_progress",
            "handoff",
            "usage",
            "budget_alert",
            "budget_halt",
            "budget_ack",
            "error_issue",
            "error_event",
            "error_hourly",
            "tier_change",
            "alert_state",
            "alert_event",
            "self_test_run",
            "drill_run",
            "trace",
            "task",
            "task_dep",
            "task_event",
            "rollout",
            "flag",
            "transcript_cursor");

    private final SqliteDatabase db;

    SqliteSnapshotStore(SqliteDatabase db) {
        this.db = db;
    }

    @FunctionalInterface
    private interface RowReader {
        SnapshotRecord read(ResultSet rs) throws SQLException;
    }

    @Override
    public void export(Consumer<SnapshotRecord> sink) {
        db.readSnapshot(c -> {
            each(c, "SELECT value FROM counter WHERE name = 'fence'", rs -> new Fence(rs.getLong(1)), sink);
            each(
                    c,
                    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'message'), 0)",
                    rs -> new Cursor(rs.getLong(1)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteCredentialStore.COLUMNS + " FROM credential ORDER BY created_at, id",
                    rs -> new CredentialRow(SqliteCredentialStore.credential(rs)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteAgentStore.COLUMNS + " FROM agent ORDER BY id",
                    rs -> new AgentRow(SqliteAgentStore.agent(rs)),
                    sink);
            each(
                    c,
                    "SELECT seq, at, actor, action, subject, details FROM audit ORDER BY seq",
                    rs -> new AuditRow(new AuditEvent(
                            rs.getLong(1),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            Json.map(rs.getString(6)))),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteLeaseStore.COLUMNS + " FROM lease ORDER BY resource",
                    rs -> new LeaseRow(SqliteLeaseStore.lease(rs), instant(rs, 7)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteMessageStore.COLUMNS + " FROM message m ORDER BY m.cursor",
                    rs -> new MessageRow(SqliteMessageStore.message(rs)),
                    sink);
            each(
                    c,
                    "SELECT agent_id, cursor FROM inbox ORDER BY cursor, agent_id",
                    rs -> new InboxRow(rs.getString(1), rs.getLong(2)),
                    sink);
            each(
                    c,
                    "SELECT agent_id, cursor FROM inbox_ack ORDER BY agent_id",
                    rs -> new AckRow(rs.getString(1), rs.getLong(2)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteMemoryStore.COLUMNS + ", m.deleted_at, m.deleted_by FROM memory m ORDER BY m.seq",
                    rs -> new MemoryRow(
                            SqliteMemoryStore.memory(rs),
                            instant(rs, SqliteMemoryStore.NEXT_COLUMN),
                            rs.getString(SqliteMemoryStore.NEXT_COLUMN + 1)),
                    sink);
            for (var cp : SqliteCheckpointStore.query(
                    c, "SELECT " + SqliteCheckpointStore.COLUMNS + " FROM checkpoint ORDER BY agent_id, version")) {
                sink.accept(new CheckpointRow(cp));
            }
            each(
                    c,
                    "SELECT agent_id, last_progress_at, stalled_since FROM agent_progress ORDER BY agent_id",
                    rs -> new ProgressRow(new Progress(rs.getString(1), instant(rs, 2), instant(rs, 3))),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteHandoffStore.COLUMNS + ", dedupe_key FROM handoff ORDER BY seq",
                    rs -> new HandoffRow(SqliteHandoffStore.handoff(rs), rs.getString(22)),
                    sink);
            each(
                    c,
                    "SELECT day, agent_id, pool, model, calls, input_tokens, output_tokens, cache_read_tokens,"
                            + " cache_write_tokens, cost_nanos FROM usage ORDER BY day, agent_id, pool, model",
                    rs -> new UsageCounter(new UsageRow(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            new Tally(
                                    rs.getLong(5),
                                    rs.getLong(6),
                                    rs.getLong(7),
                                    rs.getLong(8),
                                    rs.getLong(9),
                                    rs.getLong(10)))),
                    sink);
            each(
                    c,
                    "SELECT day, scope, level, spend_nanos, at FROM budget_alert ORDER BY day, scope, level",
                    rs -> new BudgetAlertRow(new BudgetAlert(
                            rs.getString(1),
                            rs.getString(2),
                            BudgetLevel.valueOf(rs.getString(3)),
                            rs.getLong(4),
                            Instant.ofEpochMilli(rs.getLong(5)))),
                    sink);
            each(
                    c,
                    "SELECT scope, day, spend_nanos, since FROM budget_halt ORDER BY scope",
                    rs -> new HaltRow(new Halt(
                            rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)))),
                    sink);
            each(
                    c,
                    "SELECT scope, day, spend_nanos, halted_since, by_actor, note, at FROM budget_ack ORDER BY seq",
                    rs -> new BudgetAckRow(new Acknowledgement(
                            new Halt(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    Instant.ofEpochMilli(rs.getLong(4))),
                            rs.getString(5),
                            rs.getString(6),
                            Instant.ofEpochMilli(rs.getLong(7)))),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteErrorLogStore.ISSUE_COLUMNS + " FROM error_issue ORDER BY id",
                    rs -> new ErrorIssueRow(SqliteErrorLogStore.issue(rs)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteErrorLogStore.EVENT_COLUMNS + " FROM error_event ORDER BY seq",
                    rs -> new ErrorEventRow(SqliteErrorLogStore.event(rs)),
                    sink);
            each(
                    c,
                    "SELECT hour, level, count FROM error_hourly ORDER BY hour, level",
                    rs -> new ErrorHourRow(SqliteErrorLogStore.hourly(rs)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteTierStore.COLUMNS + " FROM tier_change ORDER BY seq",
                    rs -> new TierRow(SqliteTierStore.change(rs)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteAlertStore.STATE_COLUMNS + " FROM alert_state ORDER BY rule",
                    rs -> new AlertStateRow(SqliteAlertStore.state(rs)),
                    sink);
            each(
                    c,
                    "SELECT " + SqliteAlertStore.EVENT_COLUMNS + " FROM alert_event ORDER BY seq",
                    rs -> new AlertEventRow(SqliteAlertStore.event(rs)),
                    sink);
            SqliteSelfTestStore.LOG.all(c).forEach(r -> sink.accept(new SelfTestRow(r)));
            SqliteDrillStore.LOG.all(c).forEach(r -> sink.accept(new SnapshotRecord.DrillRow(r)));
            each(
                    c,
                    "SELECT " + SqliteTraceStore.COLUMNS + " FROM trace ORDER BY seq",
                    rs -> new TraceRow(SqliteTraceStore.entry(rs)),
                    sink);
            SqliteTaskStore.export(c, sink);
            for (io.agenthub.rollout.Rollout r : SqliteRolloutStore.all(c)) {
                sink.accept(new SnapshotRecord.RolloutRow(r));
            }
            for (io.agenthub.flag.Flag f : SqliteFlagStore.all(c)) {
                sink.accept(new SnapshotRecord.FlagRow(f));
            }
            each(
                    c,
                    "SELECT agent_id, session_id, byte_offset, last_message_id, updated_at FROM transcript_cursor"
                            + " ORDER BY agent_id, session_id",
                    rs -> new SnapshotRecord.TranscriptCursorRow(
                            rs.getString(1),
                            rs.getString(2),
                            new io.agenthub.usage.TranscriptCursor(rs.getLong(3), rs.getString(4)),
                            Instant.ofEpochMilli(rs.getLong(5))),
                    sink);
            return null;
        });
    }

    private static void each(Connection c, String sql, RowReader reader, Consumer<SnapshotRecord> sink)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(reader.read(rs));
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    @Override
    public boolean isEmpty() {
        return db.read(SqliteSnapshotStore::isEmpty);
    }

    private static boolean isEmpty(Connection c) throws SQLException {
        for (String table : TABLES) {
            String sql = table.equals("counter")
                    ? "SELECT count(*) FROM counter WHERE value <> 0"
                    : "SELECT count(*) FROM " + table;
            try (PreparedStatement ps = c.prepareStatement(sql);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void restore(Iterator<SnapshotRecord> records) {
        db.writeAlone(c -> {
            if (!isEmpty(c)) {
                throw new HubException.Conflict(
                        "store_not_empty",
                        "The store already holds data; restore a snapshot only into an empty data directory.",
                        Map.of());
            }
            long lastCursor = 0;
            while (records.hasNext()) {
                SnapshotRecord r = records.next();
                switch (r) {
                    case Fence f -> update(c, "UPDATE counter SET value = ? WHERE name = 'fence'", f.lastToken());
                    case Cursor cur -> lastCursor = Math.max(lastCursor, cur.lastCursor());
                    case CredentialRow cr -> insertCredential(c, cr.credential());
                    case AgentRow a -> insertAgent(c, a.agent());
                    case AuditRow a -> insertAudit(c, a.event());
                    case LeaseRow l -> insertLease(c, l.lease(), l.releasedAt());
                    case MessageRow m -> insertMessage(c, m.message());
                    case InboxRow i ->
                        update(c, "INSERT INTO inbox (agent_id, cursor) VALUES (?, ?)", i.agentId(), i.cursor());
                    case AckRow a ->
                        update(c, "INSERT INTO inbox_ack (agent_id, cursor) VALUES (?, ?)", a.agentId(), a.cursor());
                    case MemoryRow m -> insertMemory(c, m.memory(), m.deletedAt(), m.deletedBy());
                    case CheckpointRow cp -> SqliteCheckpointStore.insert(c, cp.checkpoint());
                    case ProgressRow p ->
                        update(
                                c,
                                "INSERT INTO agent_progress (agent_id, last_progress_at, stalled_since) VALUES (?, ?, ?)",
                                p.progress().agentId(),
                                millis(p.progress().lastProgressAt()),
                                millis(p.progress().stalledSince()));
                    case HandoffRow h -> insertHandoff(c, h.handoff(), h.dedupeKey());
                    case UsageCounter u -> insertUsage(c, u.row());
                    case BudgetAlertRow a ->
                        update(
                                c,
                                "INSERT INTO budget_alert (day, scope, level, spend_nanos, at) VALUES (?, ?, ?, ?, ?)",
                                a.alert().day(),
                                a.alert().scope(),
                                a.alert().level().name(),
                                a.alert().spendNanos(),
                                a.alert().at().toEpochMilli());
                    case HaltRow h ->
                        update(
                                c,
                                "INSERT INTO budget_halt (scope, day, spend_nanos, since) VALUES (?, ?, ?, ?)",
                                h.halt().scope(),
                                h.halt().day(),
                                h.halt().spendNanos(),
                                h.halt().since().toEpochMilli());
                    case BudgetAckRow a ->
                        update(
                                c,
                                "INSERT INTO budget_ack (scope, day, spend_nanos, halted_since, by_actor, note, at) VALUES"
                                        + " (?, ?, ?, ?, ?, ?, ?)",
                                a.acknowledgement().halt().scope(),
                                a.acknowledgement().halt().day(),
                                a.acknowledgement().halt().spendNanos(),
                                a.acknowledgement().halt().since().toEpochMilli(),
                                a.acknowledgement().by(),
                                a.acknowledgement().note(),
                                a.acknowledgement().at().toEpochMilli());
                    case ErrorIssueRow i -> SqliteErrorLogStore.insertIssue(c, i.issue());
                    case ErrorEventRow e -> SqliteErrorLogStore.insertEvent(c, e.event(), true);
                    case ErrorHourRow h ->
                        SqliteErrorLogStore.addHourly(
                                c,
                                h.count().hour(),
                                h.count().level(),
                                h.count().count());
                    case TierRow t -> SqliteTierStore.insert(c, t.change(), true);
                    case AlertStateRow s -> SqliteAlertStore.upsertState(c, s.state());
                    case AlertEventRow e -> SqliteAlertStore.insertEvent(c, e.event(), true);
                    case SelfTestRow s -> SqliteSelfTestStore.insert(c, s.run());
                    case SnapshotRecord.DrillRow d -> SqliteDrillStore.LOG.insert(c, d.run());
                    case TraceRow t -> SqliteTraceStore.insert(c, List.of(t.entry()), true);
                    case SnapshotRecord.TaskRow t -> SqliteTaskStore.insert(c, t);
                    case SnapshotRecord.RolloutRow ro -> SqliteRolloutStore.put(c, ro.rollout());
                    case SnapshotRecord.FlagRow fl -> {
                        SqliteFlagStore.insert(c, fl.flag());
                        SqliteFlagStore.bump(c);
                    }
                    case SnapshotRecord.TranscriptCursorRow t ->
                        update(
                                c,
                                "INSERT INTO transcript_cursor (agent_id, session_id, byte_offset, last_message_id,"
                                        + " updated_at) VALUES (?, ?, ?, ?, ?)",
                                t.agentId(),
                                t.sessionId(),
                                t.cursor().offset(),
                                t.cursor().lastMessageId(),
                                t.updatedAt().toEpochMilli());
                }
            }
            raiseSequence(c, "message", lastCursor);
            rebuildUsageTotals(c);
            return null;
        });
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Makes the AUTOINCREMENT of {@code table} continue above {@code value} (never lowers it). */
    private static void raiseSequence(Connection c, String table, long value) throws SQLException {
        if (value <= 0) {
            return;
        }
        update(
                c,
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence"
                        + " WHERE name = ?)",
                table,
                table);
        update(c, "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", value, table);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static void insertHandoff(Connection c, Handoff h, String dedupeKey) throws SQLException {
        update(
                c,
                "INSERT INTO handoff (" + SqliteHandoffStore.COLUMNS
                        + ", dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Handoff.seqOf(h.id()),
                h.kind().name(),
                h.from(),
                h.to().toString(),
                h.fallback() == null ? "" : h.fallback().toString(),
                h.title(),
                h.context(),
                Json.write(h.nextSteps()),
                Json.write(h.files()),
                Json.write(h.leases()),
                h.checkpointVersion(),
                h.status().name(),
                Json.write(h.declinedBy()),
                h.acceptedBy(),
                h.note(),
                h.createdAt().toEpochMilli(),
                h.updatedAt().toEpochMilli(),
                h.expiresAt().toEpochMilli(),
                millis(h.acceptedAt()),
                millis(h.closedAt()),
                h.returned() ? 1 : 0,
                dedupeKey);
    }

    private static void insertUsage(Connection c, UsageRow u) throws SQLException {
        Tally t = u.tally();
        update(
                c,
                "INSERT INTO usage (day, agent_id, pool, model, calls, input_tokens, output_tokens, cache_read_tokens,"
                        + " cache_write_tokens, cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                u.day(),
                u.agentId(),
                u.pool(),
                u.model(),
                t.calls(),
                t.inputTokens(),
                t.outputTokens(),
                t.cacheReadTokens(),
                t.cacheWriteTokens(),
                t.costNanos());
    }

    /** The day totals per agent, pool and fleet are sums of the usage counters (as {@code SqliteUsageStore} keeps them). */
    private static void rebuildUsageTotals(Connection c) throws SQLException {
        String sums = "sum(calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),"
                + " sum(cache_write_tokens), sum(cost_nanos)";
        String insert = "INSERT INTO usage_total (day, scope, calls, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_write_tokens, cost_nanos) ";
        update(c, insert + "SELECT day, 'agent:' || agent_id, " + sums + " FROM usage GROUP BY day, agent_id");
        update(c, insert + "SELECT day, 'pool:' || pool, " + sums + " FROM usage WHERE pool <> '' GROUP BY day, pool");
        update(c, insert + "SELECT day, 'fleet', " + sums + " FROM usage GROUP BY day");
    }

    private static void insertCredential(Connection c, Credential cr) throws SQLException {
        update(
                c,
                "INSERT INTO credential (" + SqliteCredentialStore.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                cr.id(),
                cr.tokenHash(),
                cr.kind().name(),
                cr.subject(),
                cr.role().name(),
                cr.createdAt().toEpochMilli(),
                cr.revokedAt() == null ? null : cr.revokedAt().toEpochMilli());
    }

    private static void insertAgent(Connection c, io.agenthub.agent.Agent a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent (" + SqliteAgentStore.COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            SqliteAgentStore.bind(ps, a);
            ps.executeUpdate();
        }
    }

    private static void insertAudit(Connection c, AuditEvent e) throws SQLException {
        update(
                c,
                "INSERT INTO audit (seq, at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?, ?)",
                e.seq(),
                e.at().toEpochMilli(),
                e.actor(),
                e.action(),
                e.subject(),
                Json.write(e.details()));
    }

    private static void insertLease(Connection c, Lease l, Instant releasedAt) throws SQLException {
        update(
                c,
                "INSERT INTO lease (" + SqliteLeaseStore.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                l.resource(),
                l.holder(),
                l.token(),
                l.acquiredAt().toEpochMilli(),
                l.expiresAt().toEpochMilli(),
                l.note(),
                releasedAt == null ? null : releasedAt.toEpochMilli());
    }

    private static void insertMessage(Connection c, Message m) throws SQLException {
        update(
                c,
                "INSERT INTO message (cursor, kind, channel, author, recipient, text, reply_to, mentions, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.cursor(),
                m.kind().name(),
                m.channel(),
                m.author(),
                m.to(),
                m.text(),
                m.replyTo(),
                Json.write(m.mentions()),
                m.createdAt().toEpochMilli());
    }

    private static void insertMemory(Connection c, Memory m, Instant deletedAt, String deletedBy) throws SQLException {
        long seq;
        // A live entry takes its fingerprint unless an earlier live one of the snapshot has it (a snapshot from before
        // duplicates were merged); consolidation merges the two later.
        String fingerprint = deletedAt == null ? MemoryWords.fingerprint(m.category(), m.content()) : null;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO memory (id, category, content, tags, author,"
                + " created_at, recall_count, last_recalled_at, deleted_at, deleted_by, write_count, authors,"
                + " updated_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN EXISTS (SELECT 1"
                + " FROM memory WHERE fingerprint = ? AND deleted_at IS NULL) THEN NULL ELSE ? END) RETURNING seq")) {
            ps.setString(1, m.id());
            ps.setString(2, m.category().name());
            ps.setString(3, m.content());
            ps.setString(4, Json.write(m.tags()));
            ps.setString(5, m.author());
            ps.setLong(6, m.createdAt().toEpochMilli());
            ps.setInt(7, m.recallCount());
            ps.setObject(
                    8, m.lastRecalledAt() == null ? null : m.lastRecalledAt().toEpochMilli());
            ps.setObject(9, deletedAt == null ? null : deletedAt.toEpochMilli());
            ps.setString(10, deletedBy);
            ps.setInt(11, m.count());
            ps.setString(12, Json.write(m.authors()));
            ps.setLong(13, m.updatedAt().toEpochMilli());
            ps.setString(14, fingerprint);
            ps.setString(15, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        for (String tag : m.tags()) {
            update(c, "INSERT INTO memory_tag (tag, memory_seq) VALUES (?, ?) ON CONFLICT DO NOTHING", tag, seq);
        }
    }
}
