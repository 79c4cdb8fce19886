package io.agenthub.store.redis;

import io.agenthub.agent.Progress;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.auth.Credential;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.errorlog.ErrorEvent;
import io.agenthub.errorlog.HourlyCount;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.lease.Lease;
import io.agenthub.selftest.SelfTestRun;
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
import io.agenthub.tier.TierChange;
import io.agenthub.trace.TraceEntry;
import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.Halt;
import io.agenthub.usage.UsageRow;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads every domain's keys into {@link SnapshotRecord}s: all types in {@link SnapshotRecord#ORDER}, each in the order
 * the SQLite store exports it, so that snapshots of the same state are equal whichever backend wrote them. The key
 * layout read here is the one the scripts write (see each {@code Redis*Store} and its scripts).
 *
 * <p>Only read commands: the export runs while writes are paused ({@code CLIENT PAUSE WRITE}), during which a write
 * command, or a script not flagged read-only, would wait for the pause to end. Index keys are read first, then the
 * records they name in pipelined batches; keys without an index (inboxes, checkpoints) are found with {@code SCAN}.
 */
final class RedisSnapshotExport {
    /** Strings by their UTF-8 bytes: how Redis orders equal-score members and SQLite orders TEXT. */
    static final Comparator<String> BYTES =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** Audit entries per {@code XRANGE}. */
    private static final int PAGE = 5_000;

    private final RedisKeys keys;
    private final RedisClusterCommands<String, String> sync;
    private final RedisPipeline pipe;
    private final List<SnapshotRecord> out = new ArrayList<>();

    RedisSnapshotExport(RedisKeys keys, RedisClusterCommands<String, String> sync, RedisPipeline pipe) {
        this.keys = keys;
        this.sync = sync;
        this.pipe = pipe;
    }

    /** Every record, in snapshot order. */
    List<SnapshotRecord> read() {
        out.add(new Fence(number(sync.get(keys.fence()))));
        out.add(new Cursor(number(sync.get(keys.messageCursor()))));
        credentials();
        agents();
        audit();
        leases();
        messages();
        memories();
        checkpoints();
        progress();
        handoffs();
        usage();
        budgets();
        errors();
        tiers();
        alerts();
        selfTests();
        drills();
        traces();
        out.addAll(RedisTaskStore.export(keys, sync, pipe));
        RedisRolloutStore.export(keys, sync).forEach(r -> out.add(new SnapshotRecord.RolloutRow(r)));
        RedisFlagStore.export(keys, sync).forEach(f -> out.add(new SnapshotRecord.FlagRow(f)));
        transcriptCursors();
        return out;
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Keys that start with {@code literal}, each once, in byte order. */
    private List<String> scan(String literal) {
        TreeSet<String> found = new TreeSet<>(BYTES);
        ScanArgs args =
                ScanArgs.Builder.matches(RedisKeys.startingWith(literal)).limit(1_000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = sync.scan(cursor, args);
            found.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return List.copyOf(found);
    }

    private void credentials() {
        List<String> ids = new ArrayList<>();
        for (Credential.Kind kind : Credential.Kind.values()) {
            ids.addAll(sync.zrange(keys.credentialKind(kind.name()), 0, -1));
        }
        List<Credential> all = new ArrayList<>();
        for (Map<String, String> f : pipe.each(ids, (a, id) -> a.hgetall(keys.credential(id)))) {
            if (!f.isEmpty()) {
                all.add(RedisCredentialStore.credential(f));
            }
        }
        all.sort(Comparator.comparing((Credential c) -> c.createdAt().toEpochMilli())
                .thenComparing(Credential::id, BYTES));
        all.forEach(c -> out.add(new CredentialRow(c)));
    }

    private void agents() {
        List<String> ids = sync.zrange(keys.agentIds(), 0, -1);
        for (Map<String, String> f : pipe.each(ids, (a, id) -> a.hgetall(keys.agent(id)))) {
            if (!f.isEmpty()) {
                out.add(new AgentRow(RedisAgentStore.agent(f)));
            }
        }
    }

    private void audit() {
        Range<String> range = Range.create("-", "+");
        while (true) {
            List<StreamMessage<String, String>> page = sync.xrange(keys.auditLog(), range, Limit.from(PAGE));
            page.forEach(m -> out.add(new AuditRow(RedisAuditStore.event(m))));
            if (page.size() < PAGE) {
                return;
            }
            range = Range.from(Range.Boundary.excluding(page.getLast().getId()), Range.Boundary.unbounded());
        }
    }

    private void leases() {
        // Every grant kept (ended ones too) is in the ends index; the names index holds only grants not released.
        List<String> names = new ArrayList<>(sync.zrange(keys.leaseEnds(), 0, -1));
        names.sort(null);
        List<Map<String, String>> grants = pipe.each(names, (a, name) -> a.hgetall(keys.lease(name)));
        for (int i = 0; i < names.size(); i++) {
            Map<String, String> f = grants.get(i);
            if (f.isEmpty()) {
                continue;
            }
            Lease lease = new Lease(
                    names.get(i),
                    f.get("holder"),
                    Long.parseLong(f.get("token")),
                    Replies.millis(f.get("acquired")),
                    Replies.millis(f.get("expires")),
                    f.get("note"));
            out.add(new LeaseRow(lease, Replies.optionalMillis(f.get("released"))));
        }
    }

    private void messages() {
        TreeMap<Long, String> bodies = new TreeMap<>();
        sync.hgetall(keys.messageBodies()).forEach((cursor, json) -> bodies.put(Long.parseLong(cursor), json));
        bodies.forEach((cursor, json) -> out.add(new MessageRow(RedisMessageStore.message(cursor, json))));

        String inboxStart = keys.messageInbox("");
        List<String> agents = scan(inboxStart).stream()
                .map(k -> k.substring(inboxStart.length()))
                .toList();
        List<List<String>> cursors = pipe.each(agents, (a, agent) -> a.zrange(keys.messageInbox(agent), 0, -1));
        List<InboxRow> inbox = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            for (String cursor : cursors.get(i)) {
                inbox.add(new InboxRow(agents.get(i), Long.parseLong(cursor)));
            }
        }
        inbox.sort(Comparator.comparingLong(InboxRow::cursor).thenComparing(InboxRow::agentId, BYTES));
        out.addAll(inbox);

        TreeMap<String, String> acks = new TreeMap<>(BYTES);
        acks.putAll(sync.hgetall(keys.messageAcks()));
        acks.forEach((agent, cursor) -> out.add(new AckRow(agent, Long.parseLong(cursor))));
    }

    private void memories() {
        TreeSet<Long> seqs = new TreeSet<>();
        sync.hgetall(keys.memoryIds()).values().forEach(s -> seqs.add(Long.parseLong(s)));
        List<String> padded = seqs.stream().map(RedisSnapshotExport::padded).toList();
        for (Map<String, String> f : pipe.each(padded, (a, s) -> a.hgetall(keys.memoryEntry(s)))) {
            if (!f.isEmpty()) {
                out.add(new MemoryRow(
                        RedisMemoryStore.memory(f), Replies.optionalMillis(f.get("deleted")), f.get("deletedBy")));
            }
        }
    }

    /** A sequence number as the memory and handoff scripts pad it in member names and keys. */
    static String padded(long seq) {
        return String.format("%012d", seq);
    }

    private void checkpoints() {
        List<String> agents = scan(keys.checkpointStart()).stream()
                .map(keys::checkpointDataAgent)
                .filter(a -> a != null)
                .toList();
        List<Map<String, String>> data = pipe.each(agents, (a, agent) -> a.hgetall(keys.checkpointData(agent)));
        for (int i = 0; i < agents.size(); i++) {
            TreeMap<Long, String> versions = new TreeMap<>();
            data.get(i).forEach((v, json) -> versions.put(Long.parseLong(v), json));
            String agent = agents.get(i);
            versions.forEach((v, json) -> {
                Checkpoint cp = RedisCheckpointStore.checkpoint(agent, v, json);
                out.add(new CheckpointRow(cp));
            });
        }
    }

    /** In (agent, session) order, as SQLite exports them; a session id has no '/' (the hooks check it), an agent may. */
    private void transcriptCursors() {
        String start = keys.transcriptCursorStart();
        List<String[]> ids = new ArrayList<>();
        for (String key : scan(start)) {
            String rest = key.substring(start.length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0) {
                ids.add(new String[] {rest.substring(0, slash), rest.substring(slash + 1), key});
            }
        }
        ids.sort(Comparator.<String[], String>comparing(k -> k[0], BYTES).thenComparing(k -> k[1], BYTES));
        List<Map<String, String>> fields = pipe.each(ids, (a, k) -> a.hgetall(k[2]));
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> f = fields.get(i);
            if (!f.isEmpty() && f.get("offset") != null) {
                out.add(new SnapshotRecord.TranscriptCursorRow(
                        ids.get(i)[0],
                        ids.get(i)[1],
                        new io.agenthub.usage.TranscriptCursor(
                                Long.parseLong(f.get("offset")), f.getOrDefault("msg", "")),
                        java.time.Instant.ofEpochMilli(number(f.get("at")))));
            }
        }
    }

    private void progress() {
        List<String> ids = sync.zrange(keys.progressIds(), 0, -1);
        List<Map<String, String>> marks = pipe.each(ids, (a, id) -> a.hgetall(keys.progress(id)));
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> f = marks.get(i);
            if (!f.isEmpty()) {
                out.add(new ProgressRow(new Progress(
                        ids.get(i), Replies.optionalMillis(f.get("last")), Replies.optionalMillis(f.get("stalled")))));
            }
        }
    }

    private void handoffs() {
        TreeSet<Long> seqs = new TreeSet<>();
        for (HandoffStatus status : HandoffStatus.values()) {
            sync.zrange(keys.handoffStatus(status.name()), 0, -1).forEach(s -> seqs.add(Long.parseLong(s)));
        }
        List<String> padded = seqs.stream().map(RedisHandoffStore::seq).toList();
        List<Map<String, String>> fields = pipe.each(padded, (a, s) -> a.hgetall(keys.handoff(s)));
        List<List<String>> declined = pipe.each(padded, (a, s) -> a.lrange(keys.handoffDeclined(s), 0, -1));
        for (int i = 0; i < padded.size(); i++) {
            Map<String, String> f = fields.get(i);
            if (!f.isEmpty()) {
                out.add(new HandoffRow(RedisHandoffStore.handoff(f, declined.get(i)), f.get("dedupe")));
            }
        }
    }

    private record DayRow(String day, String rowId) {}

    private void usage() {
        List<String> days = sync.zrange(keys.usageDays(), 0, -1);
        List<Set<String>> rowIds = pipe.each(days, (a, day) -> a.smembers(keys.usageRows(day)));
        List<DayRow> rows = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            for (String rowId : rowIds.get(i)) {
                rows.add(new DayRow(days.get(i), rowId));
            }
        }
        var values = pipe.each(rows, (a, r) -> a.hmget(keys.usageRow(r.day(), r.rowId()), RedisUsageStore.FIELDS));
        List<UsageRow> all = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RedisUsageStore.RowId id = Json.read(rows.get(i).rowId(), RedisUsageStore.RowId.class);
            all.add(new UsageRow(
                    rows.get(i).day(), id.agentId(), id.pool(), id.model(), RedisUsageStore.tally(values.get(i))));
        }
        all.sort(Comparator.comparing(UsageRow::day, BYTES)
                .thenComparing(UsageRow::agentId, BYTES)
                .thenComparing(UsageRow::pool, BYTES)
                .thenComparing(UsageRow::model, BYTES));
        all.forEach(r -> out.add(new UsageCounter(r)));
    }

    private void budgets() {
        List<BudgetAlert> alerts = new ArrayList<>();
        sync.hgetall(keys.budgetAlerts()).values().forEach(json -> alerts.add(RedisBudgetStore.alert(json)));
        alerts.sort(Comparator.comparing(BudgetAlert::day, BYTES)
                .thenComparing(BudgetAlert::scope, BYTES)
                .thenComparing(a -> a.level().name(), BYTES));
        alerts.forEach(a -> out.add(new BudgetAlertRow(a)));

        List<Halt> halts = new ArrayList<>();
        sync.hgetall(keys.budgetHalts()).values().forEach(json -> halts.add(RedisBudgetStore.halt(json)));
        halts.sort(Comparator.comparing(Halt::scope, BYTES));
        halts.forEach(h -> out.add(new HaltRow(h)));

        // The list is newest first; a snapshot lists acknowledgements in the order they were made.
        List<Acknowledgement> acks = new ArrayList<>();
        for (String json : sync.lrange(keys.budgetAcks(), 0, -1).reversed()) {
            acks.add(RedisBudgetStore.acknowledgement(json));
        }
        acks.forEach(a -> out.add(new BudgetAckRow(a)));
    }

    private void errors() {
        List<String> ids = new ArrayList<>(sync.zrange(keys.errorIssues(), 0, -1));
        ids.sort(BYTES);
        List<Map<String, String>> issues = pipe.each(ids, (a, id) -> a.hgetall(keys.errorIssue(id)));
        List<List<String>> entries = pipe.each(ids, (a, id) -> a.lrange(keys.errorEvents(id), 0, -1));
        List<ErrorEvent> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!issues.get(i).isEmpty()) {
                out.add(new ErrorIssueRow(RedisErrorLogStore.issue(issues.get(i))));
            }
            for (String entry : entries.get(i)) {
                events.add(RedisErrorLogStore.event(ids.get(i), entry));
            }
        }
        events.sort(Comparator.comparingLong(ErrorEvent::seq));
        events.forEach(e -> out.add(new ErrorEventRow(e)));

        List<HourlyCount> hours = new ArrayList<>();
        sync.hgetall(keys.errorHourly()).forEach((field, count) -> hours.add(RedisErrorLogStore.hourly(field, count)));
        hours.sort(Comparator.comparing(HourlyCount::hour)
                .thenComparing(h -> h.level().name(), BYTES));
        hours.forEach(h -> out.add(new ErrorHourRow(h)));
    }

    private void tiers() {
        TreeMap<Long, String> changes = new TreeMap<>();
        sync.hgetall(keys.tierChanges()).forEach((seq, json) -> changes.put(Long.parseLong(seq), json));
        changes.forEach((seq, json) ->
                out.add(new TierRow(Json.read(json, TierChange.class).withSeq(seq))));
    }

    private void alerts() {
        List<AlertState> states = new ArrayList<>();
        sync.hgetall(keys.alertStates()).values().forEach(json -> states.add(Json.read(json, AlertState.class)));
        states.sort(Comparator.comparing(AlertState::rule, BYTES));
        states.forEach(s -> out.add(new AlertStateRow(s)));

        TreeMap<Long, String> events = new TreeMap<>();
        sync.hgetall(keys.alertEvents()).forEach((seq, json) -> events.put(Long.parseLong(seq), json));
        events.forEach((seq, json) ->
                out.add(new AlertEventRow(Json.read(json, AlertEvent.class).withSeq(seq))));
    }

    private void selfTests() {
        List<SelfTestRun> runs = new ArrayList<>();
        sync.hgetall(keys.selfTestRuns()).values().forEach(json -> runs.add(Json.read(json, SelfTestRun.class)));
        runs.sort(Comparator.comparing((SelfTestRun r) -> r.startedAt().toEpochMilli())
                .thenComparing(SelfTestRun::id, BYTES));
        runs.forEach(r -> out.add(new SelfTestRow(r)));
    }

    private void drills() {
        List<io.agenthub.drill.DrillRun> runs = new ArrayList<>();
        sync.hgetall(keys.drillRuns())
                .values()
                .forEach(json -> runs.add(Json.read(json, io.agenthub.drill.DrillRun.class)));
        runs.sort(Comparator.comparing(
                        (io.agenthub.drill.DrillRun r) -> r.startedAt().toEpochMilli())
                .thenComparing(io.agenthub.drill.DrillRun::id, BYTES));
        runs.forEach(r -> out.add(new SnapshotRecord.DrillRow(r)));
    }

    private void traces() {
        List<String> agents = new ArrayList<>(sync.smembers(keys.traceAgents()));
        List<List<ScoredValue<String>>> trails =
                pipe.each(agents, (a, agent) -> a.zrangeWithScores(keys.trace(agent), 0, -1));
        List<TraceEntry> all = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            String agent = agents.get(i);
            trails.get(i).forEach(m -> all.add(RedisTraceStore.entry(agent, (long) m.getScore(), m.getValue())));
        }
        all.sort(Comparator.comparingLong(TraceEntry::seq));
        all.forEach(e -> out.add(new TraceRow(e)));
    }
}
