package io.agenthub.store.redis;

import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.usage.Acknowledgement;
import io.agenthub.usage.BudgetAlert;
import io.agenthub.usage.BudgetLevel;
import io.agenthub.usage.BudgetStore;
import io.agenthub.usage.Halt;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Budget alerts, halts and acknowledgements in Redis. Raising is a set-if-absent on (day, scope, level) in one script
 * that also puts a halt in force, and acknowledging lifts the halt and records who did it in one script, so of several
 * nodes exactly one raises or lifts. A throttled agent's last admission is one key per agent, checked and set by one
 * script with the hub's time, and expiring (by Redis's clock) two intervals after it was set.
 */
final class RedisBudgetStore implements BudgetStore {
    private static final LuaScript RAISE = LuaScript.load("budget-raise");
    private static final LuaScript ACKNOWLEDGE = LuaScript.load("budget-acknowledge");
    private static final LuaScript ADMIT = LuaScript.load("budget-admit");
    private static final Comparator<BudgetAlert> ORDER = Comparator.comparing(BudgetAlert::at)
            .thenComparing(BudgetAlert::day)
            .thenComparing(BudgetAlert::scope)
            .thenComparing(BudgetAlert::level);

    /** Stored forms, with times in epoch milliseconds. */
    record StoredAlert(String day, String scope, String level, long spendNanos, long at) {}

    record StoredHalt(String scope, String day, long spendNanos, long since) {}

    record StoredAck(String halt, String by, String note, String at) {}

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisBudgetStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public boolean raise(BudgetAlert a) {
        String id = alertId(a);
        long at = a.at().toEpochMilli();
        long raised = redis.eval(
                RAISE,
                ScriptOutputType.INTEGER,
                new String[] {keys.budgetAlerts(), keys.budgetAlertIndex(), keys.budgetHalts()},
                id,
                Json.write(new StoredAlert(a.day(), a.scope(), a.level().name(), a.spendNanos(), at)),
                a.level() == BudgetLevel.HALT ? "1" : "0",
                a.scope(),
                Json.write(new StoredHalt(a.scope(), a.day(), a.spendNanos(), at)));
        return raised == 1;
    }

    @Override
    public List<BudgetAlert> alerts(String from, String to) {
        // Ids start with the day and a newline, so the days from..to are the ids in [from, to + "\n"].
        List<String> json = redis.call("budget alerts", c -> {
            List<String> ids = c.zrangebylex(
                    keys.budgetAlertIndex(),
                    Range.from(Range.Boundary.including(from), Range.Boundary.excluding(to + "\u000b")));
            return ids.isEmpty()
                    ? List.<String>of()
                    : c.hmget(keys.budgetAlerts(), ids.toArray(String[]::new)).stream()
                            .filter(kv -> kv.hasValue())
                            .map(kv -> kv.getValue())
                            .toList();
        });
        List<BudgetAlert> out = new ArrayList<>();
        for (String j : json) {
            out.add(alert(j));
        }
        out.sort(ORDER);
        return out;
    }

    @Override
    public List<Halt> halts() {
        Map<String, String> all = redis.call("budget halts", c -> c.hgetall(keys.budgetHalts()));
        return all.values().stream()
                .map(RedisBudgetStore::halt)
                .sorted(Comparator.comparing(Halt::scope))
                .toList();
    }

    @Override
    public Optional<Acknowledgement> acknowledge(String scope, String by, String note, Instant now) {
        List<Object> reply = redis.eval(
                ACKNOWLEDGE,
                ScriptOutputType.MULTI,
                new String[] {keys.budgetHalts(), keys.budgetAcks()},
                scope,
                by,
                note == null ? "" : note,
                Replies.millis(now));
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Acknowledgement(
                halt(Replies.string(reply.getFirst())), by, note, Instant.ofEpochMilli(now.toEpochMilli())));
    }

    @Override
    public List<Acknowledgement> acknowledgements(int limit) {
        List<String> json = redis.call("budget acknowledgements", c -> c.lrange(keys.budgetAcks(), 0, limit - 1));
        List<Acknowledgement> out = new ArrayList<>();
        for (String j : json) {
            out.add(acknowledgement(j));
        }
        return out;
    }

    @Override
    public Optional<Instant> admit(String agentId, Duration interval, Instant now) {
        long span = interval.toMillis();
        long next = redis.eval(
                ADMIT,
                ScriptOutputType.INTEGER,
                new String[] {keys.budgetThrottle(agentId)},
                Replies.millis(now),
                Long.toString(span),
                Long.toString(2 * span));
        return next == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
    }

    /** The id of an alert in the alerts hash and its index: day first, so that days sort. */
    private static String alertId(BudgetAlert a) {
        return a.day() + "\n" + a.scope() + "\n" + a.level().name();
    }

    /** An alert from its stored JSON. */
    private static BudgetAlert alert(String json) {
        StoredAlert s = Json.read(json, StoredAlert.class);
        return new BudgetAlert(
                s.day(), s.scope(), BudgetLevel.valueOf(s.level()), s.spendNanos(), Instant.ofEpochMilli(s.at()));
    }

    /** An acknowledgement from its stored JSON. */
    private static Acknowledgement acknowledgement(String json) {
        StoredAck s = Json.read(json, StoredAck.class);
        return new Acknowledgement(halt(s.halt()), s.by(), s.note(), Replies.millis(s.at()));
    }

    /** A halt from its stored JSON. */
    private static Halt halt(String json) {
        StoredHalt s = Json.read(json, StoredHalt.class);
        return new Halt(s.scope(), s.day(), s.spendNanos(), Instant.ofEpochMilli(s.since()));
    }

    /** A halt's stored JSON (as budget-raise.lua stores it from the argument {@link #raise} passes). */
    private static String haltJson(Halt h) {
        return Json.write(
                new StoredHalt(h.scope(), h.day(), h.spendNanos(), h.since().toEpochMilli()));
    }

    /**
     * Budgets in snapshots: alerts by (day, scope, level), halts in force by scope, and acknowledgements in the order
     * they were made, written back as budget-raise.lua and budget-acknowledge.lua write them (the halt an alert puts in
     * force comes as its own record). A throttled agent's last admission is not state worth keeping.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.BudgetAlertRow.class,
                    (x, sink) -> {
                        List<BudgetAlert> alerts = new ArrayList<>();
                        x.sync().hgetall(x.keys().budgetAlerts()).values().forEach(json -> alerts.add(alert(json)));
                        alerts.sort(Comparator.comparing(BudgetAlert::day, RedisSnapshotPart.BYTES)
                                .thenComparing(BudgetAlert::scope, RedisSnapshotPart.BYTES)
                                .thenComparing(a -> a.level().name(), RedisSnapshotPart.BYTES));
                        alerts.forEach(a -> sink.accept(new SnapshotRecord.BudgetAlertRow(a)));
                    },
                    (w, row) -> {
                        BudgetAlert a = row.alert();
                        String id = alertId(a);
                        w.hset(
                                w.keys().budgetAlerts(),
                                id,
                                Json.write(new StoredAlert(
                                        a.day(), a.scope(), a.level().name(), a.spendNanos(), a.at().toEpochMilli())));
                        w.zadd(w.keys().budgetAlertIndex(), 0, id);
                    })
            .record(
                    SnapshotRecord.HaltRow.class,
                    (x, sink) -> {
                        List<Halt> halts = new ArrayList<>();
                        x.sync().hgetall(x.keys().budgetHalts()).values().forEach(json -> halts.add(halt(json)));
                        halts.sort(Comparator.comparing(Halt::scope, RedisSnapshotPart.BYTES));
                        halts.forEach(h -> sink.accept(new SnapshotRecord.HaltRow(h)));
                    },
                    (w, row) -> w.hset(w.keys().budgetHalts(), row.halt().scope(), haltJson(row.halt())))
            .record(
                    SnapshotRecord.BudgetAckRow.class,
                    // The list is newest first; a snapshot lists acknowledgements in the order they were made.
                    (x, sink) -> x.sync()
                            .lrange(x.keys().budgetAcks(), 0, -1)
                            .reversed()
                            .forEach(json -> sink.accept(new SnapshotRecord.BudgetAckRow(acknowledgement(json)))),
                    // Pushed at the head, as budget-acknowledge.lua does, so the list ends newest first.
                    (w, row) -> {
                        Acknowledgement a = row.acknowledgement();
                        w.lpush(
                                w.keys().budgetAcks(),
                                Json.write(
                                        new StoredAck(haltJson(a.halt()), a.by(), a.note(), Replies.millis(a.at()))));
                    });
}
