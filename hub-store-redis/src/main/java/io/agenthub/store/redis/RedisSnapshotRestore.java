package io.agenthub.store.redis;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Progress;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Credential;
import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.errorlog.ErrorEvent;
import io.agenthub.errorlog.ErrorIssue;
import io.agenthub.errorlog.ErrorReport;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryWords;
import io.agenthub.message.Message;
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
import io.agenthub.usage.Tally;
import io.agenthub.usage.UsageRow;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes snapshot records into an empty key prefix as the stores' scripts would have written them: each record's own
 * keys with its stored sequence numbers, cursors, tokens and versions, the derived structures the scripts keep beside
 * them (indexes, per-agent sets, the memory search postings and statistics, usage day totals), and at the end every
 * counter set to the highest value restored, so that new ones continue above it. Writes are pipelined in batches.
 *
 * <p>No store gives its keys a Redis expiry: grants, handoffs and messages end by the hub's clock and are purged by its
 * janitors. So nothing here sets a TTL, and what had already ended when the snapshot was taken is restored as it was,
 * as the SQLite store restores it, and purged by the janitors in their time.
 *
 * <p>Every key written is remembered, so that a restore that fails half-way can delete what it wrote
 * ({@link #undo()}).
 */
final class RedisSnapshotRestore {
    private final RedisKeys keys;
    private final RedisPipeline pipe;
    private final Set<String> written = new HashSet<>();

    private long fence;
    private long cursor;
    private long auditSeq;
    private long memorySeq;
    private final Set<String> memoryFingerprints = new HashSet<>();
    private long handoffSeq;
    private long errorSeq;
    private long tierSeq;
    private long alertSeq;
    private long traceSeq;
    private long taskSeq;
    private long flagCount;
    private final RedisTaskStore.RestoreSink taskSink = new RedisTaskStore.RestoreSink() {
        @Override
        public void hset(String key, Map<String, String> fields) {
            RedisSnapshotRestore.this.hset(key, fields);
        }

        @Override
        public void zadd(String key, double score, String member) {
            RedisSnapshotRestore.this.zadd(key, score, member);
        }

        @Override
        public void sadd(String key, String member) {
            RedisSnapshotRestore.this.sadd(key, member);
        }

        @Override
        public void rpush(String key, String value) {
            send(key, a -> a.rpush(key, value));
        }
    };
    private final Map<String, Long> checkpointVersions = new HashMap<>();

    RedisSnapshotRestore(RedisKeys keys, RedisPipeline pipe) {
        this.keys = keys;
        this.pipe = pipe;
    }

    /** Writes every record, then the counters, and waits until Redis has applied all of it. */
    void restore(Iterator<SnapshotRecord> records) {
        while (records.hasNext()) {
            write(records.next());
        }
        counters();
        pipe.await();
    }

    /** Deletes every key this restore wrote (after a failure: the prefix was empty before). */
    void undo() {
        pipe.await();
        for (String key : written) {
            pipe.send(a -> a.unlink(key));
        }
        pipe.await();
    }

    private <T> void send(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        written.add(key);
        pipe.send(command);
    }

    private void hset(String key, Map<String, String> fields) {
        send(key, a -> a.hset(key, fields));
    }

    private void hset(String key, String field, String value) {
        send(key, a -> a.hset(key, field, value));
    }

    private void zadd(String key, double score, String member) {
        send(key, a -> a.zadd(key, score, member));
    }

    private void sadd(String key, String member) {
        send(key, a -> a.sadd(key, member));
    }

    private void set(String key, long value) {
        if (value > 0) {
            send(key, a -> a.set(key, Long.toString(value)));
        }
    }

    private static String millis(Instant t) {
        return Replies.millis(t);
    }

    private void write(SnapshotRecord r) {
        switch (r) {
            case Fence f -> fence = Math.max(fence, f.lastToken());
            case Cursor c -> cursor = Math.max(cursor, c.lastCursor());
            case CredentialRow c -> credential(c.credential());
            case AgentRow a -> agent(a.agent());
            case AuditRow a -> audit(a.event());
            case LeaseRow l -> lease(l.lease(), l.releasedAt());
            case MessageRow m -> message(m.message());
            case InboxRow i -> zadd(keys.messageInbox(i.agentId()), i.cursor(), Long.toString(i.cursor()));
            case AckRow a -> hset(keys.messageAcks(), a.agentId(), Long.toString(a.cursor()));
            case MemoryRow m -> memory(m.memory(), m.deletedAt(), m.deletedBy());
            case CheckpointRow c -> checkpoint(c.checkpoint());
            case ProgressRow p -> progress(p.progress());
            case HandoffRow h -> handoff(h.handoff(), h.dedupeKey());
            case UsageCounter u -> usage(u.row());
            case BudgetAlertRow a -> budgetAlert(a.alert());
            case HaltRow h -> hset(keys.budgetHalts(), h.halt().scope(), haltJson(h.halt()));
            case BudgetAckRow a -> budgetAck(a.acknowledgement());
            case ErrorIssueRow i -> errorIssue(i.issue());
            case ErrorEventRow e -> errorEvent(e.event());
            case ErrorHourRow h ->
                hset(
                        keys.errorHourly(),
                        RedisErrorLogStore.hourField(h.count().hour(), h.count().level()),
                        Long.toString(h.count().count()));
            case TierRow t -> tier(t.change());
            case AlertStateRow s -> alertState(s.state());
            case AlertEventRow e -> alertEvent(e.event());
            case SelfTestRow s -> selfTest(s.run());
            case SnapshotRecord.DrillRow d -> {
                hset(keys.drillRuns(), d.run().id(), Json.write(d.run()));
                zadd(
                        keys.drillByStart(),
                        d.run().startedAt().toEpochMilli(),
                        d.run().id());
            }
            case TraceRow t -> trace(t.entry());
            case SnapshotRecord.TaskRow t -> taskSeq = Math.max(taskSeq, RedisTaskStore.restore(keys, t, taskSink));
            case SnapshotRecord.RolloutRow ro -> rollout(ro.rollout());
            case SnapshotRecord.FlagRow fl -> {
                hset(keys.flags(), fl.flag().key(), Json.write(fl.flag()));
                flagCount++;
            }
            case SnapshotRecord.TranscriptCursorRow t -> transcriptCursor(t);
        }
    }

    /** The counters, each at the highest value restored (a snapshot's fence and cursor may be higher still). */
    private void counters() {
        set(keys.fence(), fence);
        set(keys.messageCursor(), cursor);
        set(keys.auditSeq(), auditSeq);
        set(keys.memorySeq(), memorySeq);
        set(keys.handoffSeq(), handoffSeq);
        set(keys.errorEventSeq(), errorSeq);
        set(keys.tierSeq(), tierSeq);
        set(keys.alertEventSeq(), alertSeq);
        set(keys.traceSeq(), traceSeq);
        set(keys.taskSeq(), taskSeq);
        set(keys.flagVersion(), flagCount);
        checkpointVersions.forEach((agent, version) -> set(keys.checkpointVersion(agent), version));
    }

    /** As rollout-save.lua, keeping the revision. */
    private void rollout(io.agenthub.rollout.Rollout r) {
        hset(keys.rollouts(), r.pool(), Json.write(r));
        hset(keys.rolloutRevisions(), r.pool(), Long.toString(r.revision()));
        hset(keys.rolloutWindows(), r.pool(), Long.toString(r.window()));
    }

    /**
     * As transcript-advance.lua; expires {@link io.agenthub.usage.TranscriptCursorStore#RESTORED_KEEP} after the restore
     * (Redis judges expiry by its own clock).
     */
    private void transcriptCursor(SnapshotRecord.TranscriptCursorRow t) {
        String key = keys.transcriptCursor(t.agentId(), t.sessionId());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("offset", Long.toString(t.cursor().offset()));
        f.put("msg", t.cursor().lastMessageId());
        f.put("at", millis(t.updatedAt()));
        hset(key, f);
        long keep = io.agenthub.usage.TranscriptCursorStore.RESTORED_KEEP.toMillis();
        send(key, a -> a.pexpire(key, keep));
    }

    /** As credential-add.lua. */
    private void credential(Credential c) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", c.id());
        f.put("hash", c.tokenHash());
        f.put("kind", c.kind().name());
        f.put("subject", c.subject());
        f.put("role", c.role().name());
        f.put("created", millis(c.createdAt()));
        if (c.revokedAt() != null) {
            f.put("revoked", millis(c.revokedAt()));
        }
        hset(keys.credential(c.id()), f);
        hset(keys.credentialByHash(), c.tokenHash(), c.id());
        sadd(keys.credentialSubject(c.kind().name(), c.subject()), c.id());
        zadd(keys.credentialKind(c.kind().name()), c.createdAt().toEpochMilli(), c.id());
    }

    /** As agent-create.lua, with the agent's current fields. */
    private void agent(Agent a) {
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
        f.put("seen", millis(a.lastSeen()));
        f.put("since", millis(a.presenceSince()));
        f.put("created", millis(a.createdAt()));
        if (a.disabled() != null) {
            f.put("disabled_by", a.disabled().by());
            f.put("disabled_at", millis(a.disabled().at()));
            f.put("disabled_reason", a.disabled().reason());
        }
        hset(keys.agent(a.id()), f);
        zadd(keys.agentIds(), 0, a.id());
    }

    /** As audit-append.lua, with the event's own sequence number as the entry id. */
    private void audit(AuditEvent e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("at", millis(e.at()));
        body.put("actor", e.actor());
        body.put("action", e.action());
        body.put("subject", e.subject());
        body.put("details", Json.write(e.details()));
        String key = keys.auditLog();
        send(key, a -> a.xadd(key, new XAddArgs().id(e.seq() + "-0"), body));
        auditSeq = Math.max(auditSeq, e.seq());
    }

    /** As lease-acquire.lua and lease_end in lease-lib.lua. */
    private void lease(Lease l, Instant releasedAt) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("holder", l.holder());
        f.put("token", Long.toString(l.token()));
        f.put("acquired", millis(l.acquiredAt()));
        f.put("expires", millis(l.expiresAt()));
        f.put("note", l.note());
        if (releasedAt != null) {
            f.put("released", millis(releasedAt));
        }
        hset(keys.lease(l.resource()), f);
        zadd(keys.leaseEnds(), (releasedAt != null ? releasedAt : l.expiresAt()).toEpochMilli(), l.resource());
        if (releasedAt == null) {
            zadd(keys.leaseNames(), 0, l.resource());
            sadd(keys.leaseHolder(l.holder()), l.resource());
        }
        fence = Math.max(fence, l.token());
    }

    /** As message-append.lua; the inbox entries come as their own records. */
    private void message(Message m) {
        String id = Long.toString(m.cursor());
        String json = Json.write(new RedisMessageStore.Stored(
                m.kind().name(),
                m.channel(),
                m.author(),
                m.to(),
                m.text(),
                m.replyTo(),
                m.mentions(),
                m.createdAt().toEpochMilli()));
        hset(keys.messageBodies(), id, json);
        zadd(keys.messageAll(), m.cursor(), id);
        zadd(keys.messageCreated(), m.createdAt().toEpochMilli(), id);
        if (!m.channel().isEmpty()) {
            zadd(keys.messageChat(), m.cursor(), id);
            zadd(keys.messageChannel(m.channel()), m.cursor(), id);
            zadd(keys.messageChannels(), 0, m.channel());
        }
        cursor = Math.max(cursor, m.cursor());
    }

    /**
     * As memory-add.lua (entries numbered in snapshot order) and, for a forgotten entry, memory-delete.lua: its hash
     * keeps who forgot it, and it is in no index.
     */
    private void memory(Memory m, Instant deletedAt, String deletedBy) {
        String s = RedisSnapshotExport.padded(++memorySeq);
        MemoryText.Indexed index = MemoryText.index(m.content(), m.tags());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", m.id());
        f.put("category", m.category().name());
        f.put("content", m.content());
        f.put("tags", Json.write(m.tags()));
        f.put("author", m.author());
        f.put("created", millis(m.createdAt()));
        f.put("recalls", Integer.toString(m.recallCount()));
        f.put("recalled", m.lastRecalledAt() == null ? "" : millis(m.lastRecalledAt()));
        f.put("len", Integer.toString(index.length()));
        f.put("words", String.join(" ", index.frequencies().keySet()));
        int bytes = m.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        f.put("bytes", Integer.toString(bytes));
        f.put("count", Integer.toString(m.count()));
        f.put("authors", Json.write(m.authors()));
        f.put("updated", millis(m.updatedAt()));
        // A live entry takes its fingerprint unless an earlier one of the snapshot has it (a snapshot from before
        // duplicates were merged); consolidation merges the two later.
        String fingerprint = MemoryWords.fingerprint(m.category(), m.content());
        boolean ownsFingerprint = deletedAt == null && memoryFingerprints.add(fingerprint);
        if (ownsFingerprint || deletedAt != null) {
            // A deleted entry keeps the field, as memory-delete.lua leaves it, but no longer owns the fingerprint.
            f.put("fp", fingerprint);
        }
        if (deletedAt != null) {
            f.put("deleted", millis(deletedAt));
            f.put("deletedBy", deletedBy == null ? "" : deletedBy);
        }
        hset(keys.memoryEntry(s), f);
        hset(keys.memoryIds(), m.id(), s);
        boolean live = deletedAt == null;
        String stats = keys.memoryStats();
        // A forgotten entry leaves the statistics as they were before it was added (the hash exists all the same).
        send(stats, a -> a.hincrby(stats, "n", live ? 1 : 0));
        hset(stats, "v", RedisMemoryStore.INDEX_VERSION);
        send(stats, a -> a.hincrby(stats, "len", live ? index.length() : 0));
        if (!live) {
            return;
        }
        String author = keys.memoryAuthor(m.author());
        send(author, a -> a.hincrby(author, "n", 1));
        send(author, a -> a.hincrby(author, "b", bytes));
        index.frequencies().forEach((word, tf) -> {
            hset(keys.memoryPostings(word), s, Integer.toString(tf));
            zadd(keys.memoryWords(), 0, word);
        });
        zadd(keys.memoryLive(), m.createdAt().toEpochMilli(), s);
        if (ownsFingerprint) {
            hset(keys.memoryFingerprints(), fingerprint, s);
        }
        if (m.recallCount() == 0) {
            zadd(keys.memoryUnrecalled(), m.updatedAt().toEpochMilli(), s);
        }
        sadd(keys.memoryCategory(m.category().name()), s);
        for (String tag : new LinkedHashSet<>(m.tags())) {
            sadd(keys.memoryTag(tag), s);
        }
    }

    /** As checkpoint-save.lua. */
    private void checkpoint(Checkpoint c) {
        String json = Json.write(new RedisCheckpointStore.Stored(
                c.currentTask(),
                c.progress(),
                c.decisions(),
                c.blockers(),
                c.pendingWork(),
                c.filesTouched(),
                c.context(),
                c.contextTokens(),
                c.createdAt().toEpochMilli()));
        String v = Long.toString(c.version());
        hset(keys.checkpointData(c.agentId()), v, json);
        zadd(keys.checkpointVersions(c.agentId()), c.version(), v);
        checkpointVersions.merge(c.agentId(), c.version(), Math::max);
    }

    /** As progress-mark.lua and progress-stall.lua. */
    private void progress(Progress p) {
        Map<String, String> f = new LinkedHashMap<>();
        if (p.lastProgressAt() != null) {
            f.put("last", millis(p.lastProgressAt()));
        }
        if (p.stalledSince() != null) {
            f.put("stalled", millis(p.stalledSince()));
        }
        if (!f.isEmpty()) {
            hset(keys.progress(p.agentId()), f);
        }
        zadd(keys.progressIds(), 0, p.agentId());
    }

    /** As handoff-create.lua and the status changes of handoff-lib.lua. */
    private void handoff(Handoff h, String dedupeKey) {
        long n = Handoff.seqOf(h.id());
        String s = RedisHandoffStore.seq(n);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("seq", s);
        f.put("status", h.status().name());
        f.put("dedupe", dedupeKey);
        f.put("expires", millis(h.expiresAt()));
        f.put("created", millis(h.createdAt()));
        f.put("updated", millis(h.updatedAt()));
        f.put("returned", h.returned() ? "1" : "0");
        f.put("acceptedBy", h.acceptedBy());
        f.put("note", h.note());
        f.put("kind", h.kind().name());
        f.put("from", h.from());
        f.put("to", h.to().toString());
        f.put("fallback", h.fallback() == null ? "" : h.fallback().toString());
        f.put("title", h.title());
        f.put("context", h.context());
        f.put("next", Json.write(h.nextSteps()));
        f.put("files", Json.write(h.files()));
        f.put("leases", Json.write(h.leases()));
        f.put("cpv", Long.toString(h.checkpointVersion()));
        if (h.acceptedAt() != null) {
            f.put("accepted", millis(h.acceptedAt()));
        }
        if (h.closedAt() != null) {
            f.put("closed", millis(h.closedAt()));
        }
        hset(keys.handoff(s), f);
        if (!h.declinedBy().isEmpty()) {
            String declined = keys.handoffDeclined(s);
            String[] agents = h.declinedBy().toArray(String[]::new);
            send(declined, a -> a.rpush(declined, agents));
        }
        zadd(keys.handoffStatus(h.status().name()), n, s);
        if (h.status() == HandoffStatus.PENDING) {
            zadd(keys.handoffDue(), h.expiresAt().toEpochMilli(), s);
        }
        if (h.status().open() && !dedupeKey.isEmpty()) {
            hset(keys.handoffOpen(), dedupeKey, s);
        }
        handoffSeq = Math.max(handoffSeq, n);
    }

    /** As usage-record.lua: the row, and its counts added to the day totals of its agent, pool and the fleet. */
    private void usage(UsageRow u) {
        String rowId = Json.write(new RedisUsageStore.RowId(u.agentId(), u.pool(), u.model()));
        Tally t = u.tally();
        long[] values = {
            t.calls(), t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens(), t.costNanos()
        };
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            f.put(RedisUsageStore.FIELDS[i], Long.toString(values[i]));
        }
        hset(keys.usageRow(u.day(), rowId), f);
        sadd(keys.usageRows(u.day()), rowId);
        zadd(keys.usageDays(), 0, u.day());
        List<String> totals = new ArrayList<>(List.of(keys.usageAgentTotal(u.day(), u.agentId())));
        if (!u.pool().isEmpty()) {
            totals.add(keys.usagePoolTotal(u.day(), u.pool()));
        }
        totals.add(keys.usageFleetTotal(u.day()));
        for (String total : totals) {
            for (int i = 0; i < values.length; i++) {
                String field = RedisUsageStore.FIELDS[i];
                long value = values[i];
                send(total, a -> a.hincrby(total, field, value));
            }
        }
    }

    /** As budget-raise.lua (the halt it puts in force comes as its own record). */
    private void budgetAlert(BudgetAlert a) {
        String id = RedisBudgetStore.alertId(a);
        hset(
                keys.budgetAlerts(),
                id,
                Json.write(new RedisBudgetStore.StoredAlert(
                        a.day(), a.scope(), a.level().name(), a.spendNanos(), a.at().toEpochMilli())));
        zadd(keys.budgetAlertIndex(), 0, id);
    }

    private static String haltJson(Halt h) {
        return Json.write(new RedisBudgetStore.StoredHalt(
                h.scope(), h.day(), h.spendNanos(), h.since().toEpochMilli()));
    }

    /** As budget-acknowledge.lua: pushed at the head, so the list ends newest first. */
    private void budgetAck(Acknowledgement a) {
        String key = keys.budgetAcks();
        String json = Json.write(new RedisBudgetStore.StoredAck(haltJson(a.halt()), a.by(), a.note(), millis(a.at())));
        send(key, c -> c.lpush(key, json));
    }

    /** As error-record.lua. */
    private void errorIssue(ErrorIssue i) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", i.id());
        f.put("title", i.title());
        f.put("culprit", i.culprit());
        f.put("level", i.level().name());
        f.put("rank", Integer.toString(i.level().ordinal()));
        f.put("status", i.status().name());
        f.put("count", Long.toString(i.count()));
        f.put("first", millis(i.firstSeen()));
        f.put("last", millis(i.lastSeen()));
        f.put("agents", Json.write(i.agents()));
        f.put("message", i.lastMessage());
        f.put("changedAt", millis(i.statusChangedAt()));
        f.put("changedBy", i.statusChangedBy());
        hset(keys.errorIssue(i.id()), f);
        zadd(keys.errorIssues(), i.lastSeen().toEpochMilli(), i.id());
    }

    /** As error-record.lua: events come oldest first, so pushing each at the head leaves the list newest first. */
    private void errorEvent(ErrorEvent e) {
        ErrorReport r = e.report();
        String entry = e.seq() + "|"
                + Json.write(new RedisErrorLogStore.Stored(
                        r.agentId(), r.at(), r.level(), r.title(), r.message(), r.culprit(), r.stackTrace(), r.tags()));
        String key = keys.errorEvents(e.issueId());
        send(key, a -> a.lpush(key, entry));
        errorSeq = Math.max(errorSeq, e.seq());
    }

    /** As tier-append.lua. */
    private void tier(TierChange c) {
        String seq = Long.toString(c.seq());
        hset(keys.tierChanges(), seq, Json.write(c.withSeq(0)));
        String log = keys.tierLog();
        send(log, a -> a.lpush(log, seq));
        tierSeq = Math.max(tierSeq, c.seq());
    }

    /** As alert-transition.lua: the state's JSON carries its version, which the versions hash repeats. */
    private void alertState(AlertState s) {
        hset(keys.alertVersions(), s.rule(), Long.toString(s.version()));
        hset(keys.alertStates(), s.rule(), Json.write(s));
    }

    private void alertEvent(AlertEvent e) {
        String seq = Long.toString(e.seq());
        hset(keys.alertEvents(), seq, Json.write(e.withSeq(0)));
        zadd(keys.alertEventsBySeq(), e.seq(), seq);
        zadd(keys.alertEventsByTime(), e.at().toEpochMilli(), seq);
        alertSeq = Math.max(alertSeq, e.seq());
    }

    /** As selftest-save.lua. */
    private void selfTest(SelfTestRun run) {
        hset(keys.selfTestRuns(), run.id(), Json.write(run));
        zadd(keys.selfTestByStart(), run.startedAt().toEpochMilli(), run.id());
    }

    /** As trace-append.lua. */
    private void trace(TraceEntry e) {
        zadd(keys.trace(e.agentId()), e.at().toEpochMilli(), RedisTraceStore.member(e));
        sadd(keys.traceAgents(), e.agentId());
        traceSeq = Math.max(traceSeq, e.seq());
    }
}
