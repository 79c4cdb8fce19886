package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentStatus;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.alert.Severity;
import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Credential;
import io.agenthub.auth.Role;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorReport;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.NewHandoff;
import io.agenthub.handoff.Target;
import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.memory.Memory;
import io.agenthub.message.Message;
import io.agenthub.message.NewMessage;
import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskStore;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.trace.TraceEntry;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.Tally;
import io.agenthub.usage.TranscriptCursor;
import io.agenthub.usage.UsageEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The snapshot contract: export lists every domain's state in the documented order; restoring it into an empty store
 * and exporting again gives the same records; counters continue above the restored values; a non-empty store refuses a
 * restore; an export taken during writes is consistent.
 */
public abstract class SnapshotStoreContract extends StoresContract {
    private static final String DAY = "2026-01-01";

    private List<SnapshotRecord> export(Stores s) {
        List<SnapshotRecord> out = new ArrayList<>();
        s.snapshots().export(out::add);
        return out;
    }

    /**
     * Fills every domain through its SPI, the way a running hub does, so that every field of every record type holds
     * a value other than its default in some record ({@link #the_populated_export_holds_every_field_of_every_record_type}
     * checks it).
     */
    protected void populate(Stores s) {
        Instant t0 = clock.instant();
        s.credentials()
                .add(new Credential("c-alice", "hash-alice", Credential.Kind.TOKEN, "alice", Role.AGENT, t0, null));
        s.credentials().add(new Credential("c-key", "hash-key", Credential.Kind.JOIN_KEY, "fleet", Role.AGENT, t0, t0));
        s.agents().create(Agent.fresh("alice", "Alice", Role.AGENT, List.of("java"), Map.of("core", "true"), t0));
        s.agents().create(Agent.fresh("bob", "Bob", Role.AGENT, List.of(), Map.of(), t0));
        s.agents().create(Agent.fresh("mallory", "Mallory", Role.AGENT, List.of(), Map.of(), t0));
        s.agents().disable("mallory", new io.agenthub.agent.Disablement("admin", t0, "leaked token"));
        s.agents().heartbeat("alice", AgentStatus.BUSY, "fix login", 42_000L, t0);
        s.audit().append(new AuditEvent(0, t0, "admin", "agent.create", "alice", Map.of("role", "agent")));
        s.leases().tryAcquire("src/a.java", "alice", Duration.ofMinutes(10), "editing", t0);
        s.leases().tryAcquire("src/zone/", "bob", Duration.ofMinutes(10), "", t0);
        Lease released = ((Acquisition.Granted)
                        s.leases().tryAcquire("done.txt", "bob", Duration.ofMinutes(10), "", t0))
                .lease();
        s.leases().release("done.txt", "bob", released.token(), t0);
        Message hello = s.messages().append(NewMessage.chat("general", "alice", "hello @bob", "", List.of("bob"), t0));
        s.messages().append(NewMessage.chat("general", "carol", "hi", Long.toString(hello.cursor()), List.of(), t0));
        Message dm = s.messages().append(NewMessage.direct(Message.Kind.DM, "bob", "alice", "ping", t0));
        s.messages().append(NewMessage.direct(Message.Kind.NOTICE, "hub", "bob", "wake up", t0));
        s.messages().acknowledge("alice", dm.cursor());
        s.memories()
                .add(Memory.fresh(
                        "mem-1", Memory.Category.LEARNING, "login tokens are cached", List.of("auth"), "alice", t0));
        s.memories()
                .add(Memory.fresh(
                        "mem-3",
                        Memory.Category.LEARNING,
                        "Login tokens are CACHED.",
                        List.of("gateway"),
                        "carol",
                        t0.plusSeconds(2)));
        s.memories().add(Memory.fresh("mem-2", Memory.Category.WARNING, "flaky test", List.of(), "bob", t0));
        s.memories().recordRecall(List.of("mem-1"), t0.plusSeconds(5));
        s.memories().delete("mem-2", "bob", t0.plusSeconds(6));
        s.checkpoints()
                .save(
                        "alice",
                        new CheckpointData(
                                "fix login",
                                "repro",
                                List.of("keep cache"),
                                List.of("flaky ci"),
                                List.of("test"),
                                List.of("a.java"),
                                "ctx",
                                1000),
                        t0,
                        5);
        s.checkpoints()
                .save("alice", new CheckpointData("fix login", "fixed", null, null, null, null, null, 2000), t0, 5);
        s.errorLog()
                .record(
                        new ErrorReport(
                                "alice",
                                t0,
                                ErrorLevel.ERROR,
                                "fp-1",
                                "Timeout",
                                "m",
                                "call",
                                "at a.B(B.java:1)",
                                Map.of("k", "v")),
                        10,
                        10);
        s.errorLog()
                .record(
                        new ErrorReport("bob", t0, ErrorLevel.WARNING, "fp-1", "Timeout", "m2", "call", "", Map.of()),
                        10,
                        10);
        s.errorLog().setStatus("fp-1", io.agenthub.errorlog.IssueStatus.IGNORED, "admin", t0);
        s.tiers().append(0, new TierChange(0, Tier.REDUCED, Tier.REDUCED, "incident", "admin", "alice", t0));
        s.alerts()
                .transition(
                        0,
                        new AlertState("HighErrorRate", AlertState.Status.FIRING, Severity.WARNING, t0, 0.07, "7%", 0),
                        new AlertEvent(
                                0, "HighErrorRate", Severity.WARNING, AlertEvent.Kind.FIRING, t0, 0.07, "7%", t0));
        s.selfTests()
                .save(
                        new SelfTestRun(
                                "run-1",
                                "startup",
                                "n1",
                                t0,
                                100,
                                1,
                                1,
                                1,
                                List.of(new CheckResult("x", "y", CheckResult.Status.PASS, 1, "ok"))),
                        10);
        s.drills()
                .save(
                        io.agenthub.drill.DrillRun.of(
                                "drill-1",
                                "schedule",
                                "n1",
                                t0,
                                200,
                                List.of(
                                        io.agenthub.drill.DrillStep.scored(
                                                "register", io.agenthub.drill.DrillStep.Status.PASS, 3, 2000, "ok"),
                                        io.agenthub.drill.DrillStep.scored(
                                                "claim", io.agenthub.drill.DrillStep.Status.FAIL, 9, 2000, "refused"),
                                        io.agenthub.drill.DrillStep.scored(
                                                "handoff", io.agenthub.drill.DrillStep.Status.SKIP, 0, 2000, "off"))),
                        10);
        s.traces().append(List.of(new TraceEntry(0, "alice", t0, "call", "POST /api/leases", "src/a.java", "201", 4)));
        s.progress().progress("alice", t0);
        s.progress().markStalled("bob", t0.minusSeconds(600), t0);
        s.handoffs()
                .create(new NewHandoff(
                        Handoff.Kind.MANUAL,
                        "alice",
                        Target.agent("bob"),
                        Target.any(),
                        "take over login",
                        "repro found",
                        List.of("write the test"),
                        List.of("src/a.java"),
                        List.of("src/a.java"),
                        2,
                        t0,
                        t0.plus(Duration.ofMinutes(30)),
                        "transfer:alice"));
        populateClosedHandoff(s, t0);
        s.usage()
                .record(new UsageEntry(
                        DAY, "alice", "web", "claude-sonnet-4-5", new Tally(1, 1000, 200, 50, 10, 12_345)));
        s.usage().record(new UsageEntry(DAY, "bob", "", "claude-haiku-4-5", new Tally(2, 300, 30, 0, 0, 999)));
        s.budgets().raise(new BudgetAlert(DAY, "agent:bob", BudgetLevel.HALT, 999, t0));
        s.budgets().raise(new BudgetAlert(DAY, "fleet", BudgetLevel.HALT, 13_344, t0));
        s.budgets().acknowledge("fleet", "admin", "reviewed", t0.plusSeconds(1));
        populateTasks(s, t0);
        s.transcriptCursors()
                .advance("alice", "s-2", TranscriptCursor.START, new TranscriptCursor(512, "msg_02"), t0, KEEP);
        s.transcriptCursors().advance("alice", "s-1", TranscriptCursor.START, new TranscriptCursor(100, ""), t0, KEEP);
        populateRolloutsAndFlags(s, t0);
    }

    /**
     * A handoff through its whole life: declined by one agent, returned at expiry to its fallback, accepted and
     * completed.
     */
    private static void populateClosedHandoff(Stores s, Instant t0) {
        Handoff h = s.handoffs()
                .create(new NewHandoff(
                        Handoff.Kind.MANUAL,
                        "bob",
                        Target.agent("carol"),
                        Target.agent("dave"),
                        "review",
                        "",
                        List.of(),
                        List.of(),
                        List.of(),
                        0,
                        t0.minusSeconds(60),
                        t0,
                        ""))
                .handoff();
        s.handoffs().decline(h.id(), "carol", false, "busy", t0).orElseThrow();
        s.handoffs()
                .expire(h.id(), Target.agent("dave"), t0.plus(Duration.ofMinutes(30)), "", t0)
                .orElseThrow();
        assertThat(s.handoffs().accept(h.id(), "dave", Duration.ofMinutes(10), t0))
                .isInstanceOf(io.agenthub.handoff.Acceptance.Accepted.class);
        s.handoffs().complete(h.id(), "dave", "reviewed", t0).orElseThrow();
    }

    /** A canary with a decision, and a flag with a rule. */
    private static void populateRolloutsAndFlags(Stores s, Instant t0) {
        s.rollouts()
                .save(
                        new io.agenthub.rollout.Rollout(
                                "web",
                                io.agenthub.rollout.Rollout.Strategy.CANARY,
                                io.agenthub.rollout.Rollout.Stage.RUNNING,
                                "v1",
                                "v2",
                                List.of(5, 10, 100),
                                1,
                                10,
                                Duration.ofHours(1),
                                0.05,
                                1.5,
                                3,
                                t0,
                                "smoke passed",
                                "admin",
                                t0,
                                t0,
                                0,
                                List.of(new io.agenthub.rollout.Rollout.Decision(t0, "admin", "start", "canary v2"))),
                        0)
                .orElseThrow();
        s.flags()
                .put(new io.agenthub.flag.Flag(
                        "new-parser",
                        io.agenthub.flag.Flag.Type.STRING,
                        "classic",
                        List.of(new io.agenthub.flag.Flag.Rule(
                                List.of("alice"), List.of("web"), List.of("v2"), 50, "new")),
                        true,
                        "the new parser",
                        "admin",
                        t0));
    }

    private static final Duration KEEP = Duration.ofDays(30);

    /** Tasks in every index: done (with a dependent queued behind it), claimed with a lease, retry-waiting, queued. */
    private static void populateTasks(Stores s, Instant t0) {
        TaskStore.Claimant alice = new TaskStore.Claimant("alice", "default", List.of("java"), "v1");
        TaskStore.Created first = s.tasks()
                .create(
                        new NewTask("first", "b", 5, List.of("x"), null, null, null, null, null, null, 3),
                        "admin",
                        t0,
                        100);
        String firstId = ((TaskStore.Created.Stored) first).task().id();
        Task claimed = s.tasks().claim(alice, Duration.ofMinutes(5), t0, 10).claimed();
        s.tasks().complete(firstId, "alice", claimed.claim().token(), "ok", t0);
        s.tasks()
                .create(
                        new NewTask("after", "", 0, null, null, null, null, null, List.of(firstId), null, 3),
                        "bob",
                        t0,
                        100);
        s.tasks().create(new NewTask("flaky", "", 9, null, null, null, null, null, null, null, 3), "bob", t0, 100);
        Task flaky = s.tasks().claim(alice, Duration.ofMinutes(5), t0, 10).claimed();
        s.tasks()
                .fail(
                        flaky.id(),
                        "alice",
                        flaky.claim().token(),
                        "boom",
                        new TaskStore.Backoff(Duration.ofMinutes(1), Duration.ofMinutes(5)),
                        t0);
        TaskStore.Created edit = s.tasks()
                .create(
                        new NewTask("edit", "", 8, null, null, null, null, List.of("src/t/"), null, null, 3),
                        "bob",
                        t0,
                        100);
        s.tasks().claim(alice, Duration.ofMinutes(5), t0, 10);
        String editId = ((TaskStore.Created.Stored) edit).task().id();
        s.tasks()
                .create(
                        new NewTask(
                                "later",
                                "",
                                0,
                                null,
                                "web",
                                List.of("gpu"),
                                "v2",
                                null,
                                List.of(editId),
                                t0.plus(Duration.ofHours(8)),
                                3),
                        "bob",
                        t0,
                        100);
    }

    @Test
    void restored_tasks_keep_their_queues_and_numbers() throws Exception {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        try (Stores target = openStores()) {
            target.snapshots().restore(original.iterator());
            Instant now = clock.instant();
            assertThat(target.tasks().queue("default")).isEqualTo(stores.tasks().queue("default"));
            assertThat(target.tasks().claimedBy("alice"))
                    .isEqualTo(stores.tasks().claimedBy("alice"));
            TaskStore.Claimant bob = new TaskStore.Claimant("bob", "default", List.of(), "");
            assertThat(target.tasks()
                            .claim(bob, Duration.ofMinutes(1), now, 10)
                            .claimed()
                            .title())
                    .isEqualTo("after");
            Task next = ((TaskStore.Created.Stored) target.tasks()
                            .create(
                                    new NewTask("new", "", 0, null, null, null, null, null, null, null, 3),
                                    "bob",
                                    now,
                                    100))
                    .task();
            assertThat(Task.number(next.id())).isEqualTo(6);
        }
    }

    @Test
    void restored_transcript_cursors_go_on_from_where_they_were() throws Exception {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        assertThat(original.stream()
                        .filter(r -> r instanceof SnapshotRecord.TranscriptCursorRow)
                        .map(r -> ((SnapshotRecord.TranscriptCursorRow) r).sessionId()))
                .containsExactly("s-1", "s-2");
        try (Stores target = openStores()) {
            target.snapshots().restore(original.iterator());
            TranscriptCursor at = new TranscriptCursor(512, "msg_02");
            assertThat(target.transcriptCursors().find("alice", "s-2")).contains(at);
            Instant now = clock.instant();
            assertThat(target.transcriptCursors().advance("alice", "s-2", TranscriptCursor.START, at, now, KEEP))
                    .isFalse();
            assertThat(target.transcriptCursors()
                            .advance("alice", "s-2", at, new TranscriptCursor(900, "msg_03"), now, KEEP))
                    .isTrue();
        }
    }

    @Test
    void a_restored_snapshot_exports_the_same_records() throws Exception {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        Set<String> types = original.stream().map(SnapshotRecord::type).collect(Collectors.toSet());
        assertThat(types).containsAll(SnapshotRecord.ORDER);
        List<String> order =
                original.stream().map(SnapshotRecord::type).distinct().toList();
        assertThat(order).isEqualTo(SnapshotRecord.ORDER);

        try (Stores target = openStores()) {
            assertThat(target.snapshots().isEmpty()).isTrue();
            target.snapshots().restore(original.iterator());
            assertThat(target.snapshots().isEmpty()).isFalse();
            assertThat(export(target)).isEqualTo(original);
            assertThat(target.memories().search("login", List.of(), null, 10))
                    .extracting(Memory::id)
                    .containsExactly("mem-1");
            Memory merged = target.memories().find("mem-1").orElseThrow();
            assertThat(merged.count()).as("merge counts survive a restore").isEqualTo(2);
            assertThat(merged.authors()).containsExactly("alice", "carol");
            assertThat(merged.tags()).containsExactly("auth", "gateway");
            assertThat(merged.updatedAt()).isEqualTo(merged.createdAt().plusSeconds(2));
            assertThat(target.memories().search("caching gateway", List.of(), null, 10))
                    .extracting(Memory::id)
                    .containsExactly("mem-1");
            assertThat(target.memories()
                            .add(Memory.fresh(
                                    "mem-4",
                                    Memory.Category.LEARNING,
                                    "Login token ARE cached!",
                                    List.of(),
                                    "dave",
                                    merged.createdAt().plusSeconds(9)))
                            .orElseThrow()
                            .merged())
                    .as("a restored entry still takes its duplicates")
                    .isTrue();
            assertThat(target.memories().find("mem-2"))
                    .as("forgotten stays forgotten")
                    .isEmpty();
            assertThat(target.messages().inbox("bob", 0, 10)).hasSize(2);
            assertThat(target.messages().acknowledged("alice"))
                    .isEqualTo(stores.messages().acknowledged("alice"));
        }
    }

    /**
     * Record types whose records name records of another type, which a restore needs first (a backend may enforce it):
     * an inbox entry names its message, an occurrence its issue.
     */
    private static final Map<String, Set<String>> NEEDS =
            Map.of("inbox", Set.of("message"), "error-event", Set.of("error-issue"));

    private static List<SnapshotRecord> ofType(List<SnapshotRecord> records, String type) {
        return records.stream().filter(r -> r.type().equals(type)).toList();
    }

    /**
     * Each domain's part of the snapshot on its own: the records of one type (with those they name), restored into an
     * empty store, export as they were. A part that drops or garbles a field, or that depends on another domain's
     * records, fails here by name.
     */
    @Test
    void each_record_type_restored_alone_exports_the_same_records() throws Exception {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        for (String type : SnapshotRecord.ORDER) {
            Set<String> restored = new HashSet<>(NEEDS.getOrDefault(type, Set.of()));
            restored.add(type);
            try (Stores target = openStores()) {
                target.snapshots()
                        .restore(original.stream()
                                .filter(r -> restored.contains(r.type()))
                                .iterator());
                assertThat(ofType(export(target), type))
                        .as("%s records restored alone and exported again", type)
                        .isEqualTo(ofType(original, type));
            }
        }
    }

    /**
     * The round trips above prove a field only if some exported record holds it with a value other than its default:
     * every field of every record type (nested records and list elements included) does, after {@link #populate}. A
     * field added to a stored record fails here until {@link #populate} sets it and the backend's export reads it back;
     * then the round trips check that each backend's restore writes it.
     */
    @Test
    void the_populated_export_holds_every_field_of_every_record_type() {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        Set<String> fields = new java.util.TreeSet<>();
        Set<String> held = new HashSet<>();
        for (Class<? extends SnapshotRecord> type : SnapshotRecord.TYPES.values()) {
            fields(type, type.getSimpleName(), fields);
        }
        for (SnapshotRecord r : original) {
            held(r, r.getClass().getSimpleName(), held);
        }
        fields.removeAll(held);
        assertThat(fields).as("fields that no exported record holds").isEmpty();
    }

    /** The paths of every field of {@code type}, nested records and list elements included. */
    private static void fields(Class<?> type, String path, Set<String> out) {
        for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            String p = path + "." + c.getName();
            out.add(p);
            Class<?> nested = nested(c);
            if (nested != null) {
                fields(nested, c.getType() == List.class ? p + "[]" : p, out);
            }
        }
    }

    /** The record type of a component, or of its list's elements; null for a plain value. */
    private static Class<?> nested(java.lang.reflect.RecordComponent c) {
        if (c.getType().isRecord()) {
            return c.getType();
        }
        if (c.getType() == List.class
                && c.getGenericType() instanceof java.lang.reflect.ParameterizedType t
                && t.getActualTypeArguments()[0] instanceof Class<?> e
                && e.isRecord()) {
            return e;
        }
        return null;
    }

    /** The paths of the fields of {@code value} that hold something other than a default (null, 0, false, empty). */
    private static void held(Object value, String path, Set<String> out) {
        for (java.lang.reflect.RecordComponent c : value.getClass().getRecordComponents()) {
            String p = path + "." + c.getName();
            Object v;
            try {
                v = c.getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            boolean isDefault = v == null
                    || v.equals("")
                    || v.equals(Boolean.FALSE)
                    || (v instanceof Number n && n.doubleValue() == 0)
                    || (v instanceof java.util.Collection<?> col && col.isEmpty())
                    || (v instanceof Map<?, ?> m && m.isEmpty())
                    || (v instanceof Duration d && d.isZero());
            if (!isDefault) {
                out.add(p);
            }
            if (v instanceof Record nested) {
                held(nested, p, out);
            } else if (v instanceof List<?> list) {
                for (Object e : list) {
                    if (e instanceof Record nested) {
                        held(nested, p + "[]", out);
                    }
                }
            }
        }
    }

    @Test
    void counters_continue_above_the_restored_values() throws Exception {
        populate(stores);
        stores.messages().purge(clock.instant().plusSeconds(1), 100);
        long lastCursor = stores.messages().latestCursor();
        long lastToken = stores.leases().active(clock.instant()).stream()
                .mapToLong(Lease::token)
                .max()
                .orElseThrow();
        List<SnapshotRecord> original = export(stores);
        try (Stores target = openStores()) {
            target.snapshots().restore(original.iterator());
            Message next = target.messages()
                    .append(NewMessage.chat("general", "alice", "after", "", List.of(), clock.instant()));
            assertThat(next.cursor()).isGreaterThan(lastCursor);
            Acquisition a = target.leases().tryAcquire("new.txt", "alice", Duration.ofMinutes(1), "", clock.instant());
            assertThat(((Acquisition.Granted) a).lease().token()).isGreaterThan(lastToken + 1);
            AuditEvent e = target.audit().append(new AuditEvent(0, clock.instant(), "hub", "x", "y", Map.of()));
            assertThat(e.seq()).isGreaterThan(1);
            TierChange latest = target.tiers().latest().orElseThrow();
            assertThat(target.tiers().append(latest.seq(), latest)).isPresent();
        }
    }

    @Test
    void a_store_with_data_refuses_a_restore() {
        populate(stores);
        List<SnapshotRecord> original = export(stores);
        assertThatThrownBy(() -> stores.snapshots().restore(original.iterator()))
                .isInstanceOf(HubException.Conflict.class);
    }

    @Test
    void an_export_during_writes_sees_one_point_in_time() throws Exception {
        stores.agents().create(Agent.fresh("alice", "Alice", Role.AGENT, List.of(), Map.of(), clock.instant()));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                stores.messages().append(NewMessage.direct(Message.Kind.DM, "bob", "alice", "x", clock.instant()));
            }
        });
        try {
            for (int round = 0; round < 5; round++) {
                List<SnapshotRecord> records = export(stores);
                Set<Long> messages = new HashSet<>();
                long cursor = 0;
                for (SnapshotRecord r : records) {
                    if (r instanceof SnapshotRecord.MessageRow m) {
                        messages.add(m.message().cursor());
                    } else if (r instanceof SnapshotRecord.Cursor c) {
                        cursor = c.lastCursor();
                    }
                }
                for (SnapshotRecord r : records) {
                    if (r instanceof SnapshotRecord.InboxRow i) {
                        assertThat(messages)
                                .as("inbox row of an exported message")
                                .contains(i.cursor());
                    }
                }
                long max = messages.stream().mapToLong(Long::longValue).max().orElse(0);
                assertThat(cursor).as("cursor high mark of the same snapshot").isEqualTo(max);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
