package io.agenthub.store.redis;

import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.alert.AlertStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts in Redis: rule states (JSON) with their versions in a second hash, so that the transition script compares
 * versions without parsing JSON; events in a hash indexed by sequence number and by time.
 */
final class RedisAlertStore implements AlertStore {
    private static final LuaScript TRANSITION = LuaScript.load("alert-transition");
    private static final LuaScript HISTORY = LuaScript.load("alert-history");
    private static final LuaScript PURGE = LuaScript.load("alert-purge");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisAlertStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public List<AlertState> states() {
        Map<String, String> all = redis.call("alerts", c -> c.hgetall(keys.alertStates()));
        List<AlertState> out = new ArrayList<>();
        all.values().forEach(json -> out.add(Json.read(json, AlertState.class)));
        out.sort(Comparator.comparing(AlertState::rule));
        return out;
    }

    @Override
    public Optional<AlertState> state(String rule) {
        String json = redis.call("alerts", c -> c.hget(keys.alertStates(), rule));
        return json == null ? Optional.empty() : Optional.of(Json.read(json, AlertState.class));
    }

    @Override
    public Optional<Recorded> transition(long expectedVersion, AlertState next, AlertEvent event) {
        AlertState stored = new AlertState(
                next.rule(),
                next.status(),
                next.severity(),
                next.since(),
                next.value(),
                next.summary(),
                expectedVersion + 1);
        long seq = redis.eval(
                TRANSITION,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys.alertVersions(),
                    keys.alertStates(),
                    keys.alertEventSeq(),
                    keys.alertEvents(),
                    keys.alertEventsBySeq(),
                    keys.alertEventsByTime()
                },
                next.rule(),
                Long.toString(expectedVersion),
                Json.write(stored),
                event == null ? "" : Json.write(event.withSeq(0)),
                event == null ? "0" : Replies.millis(event.at()));
        if (seq < 0) {
            return Optional.empty();
        }
        return Optional.of(new Recorded(stored, event == null ? null : event.withSeq(seq)));
    }

    @Override
    public List<AlertEvent> history(int limit) {
        List<Object> flat = redis.eval(
                HISTORY,
                ScriptOutputType.MULTI,
                new String[] {keys.alertEvents(), keys.alertEventsBySeq()},
                Integer.toString(limit));
        List<AlertEvent> out = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(Json.read(Replies.string(flat.get(i + 1)), AlertEvent.class)
                    .withSeq(Long.parseLong(Replies.string(flat.get(i)))));
        }
        return out;
    }

    @Override
    public int purgeHistoryBefore(Instant before) {
        long n = redis.eval(
                PURGE,
                ScriptOutputType.INTEGER,
                new String[] {keys.alertEvents(), keys.alertEventsBySeq(), keys.alertEventsByTime()},
                Replies.millis(before));
        return (int) n;
    }

    /**
     * Alerts in snapshots: the state of each rule and the event history by number, written back as alert-transition.lua
     * writes them (the state's JSON carries its version, which the versions hash repeats).
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.AlertStateRow.class,
                    (x, sink) -> {
                        List<AlertState> states = new ArrayList<>();
                        x.sync()
                                .hgetall(x.keys().alertStates())
                                .values()
                                .forEach(json -> states.add(Json.read(json, AlertState.class)));
                        states.sort(Comparator.comparing(AlertState::rule, RedisSnapshotPart.BYTES));
                        states.forEach(s -> sink.accept(new SnapshotRecord.AlertStateRow(s)));
                    },
                    (w, row) -> {
                        AlertState s = row.state();
                        w.hset(w.keys().alertVersions(), s.rule(), Long.toString(s.version()));
                        w.hset(w.keys().alertStates(), s.rule(), Json.write(s));
                    })
            .record(
                    SnapshotRecord.AlertEventRow.class,
                    (x, sink) -> {
                        x.byNumber(x.keys().alertEvents())
                                .forEach((seq, json) -> sink.accept(new SnapshotRecord.AlertEventRow(
                                        Json.read(json, AlertEvent.class).withSeq(seq))));
                    },
                    (w, row) -> {
                        AlertEvent e = row.event();
                        String seq = Long.toString(e.seq());
                        w.hset(w.keys().alertEvents(), seq, Json.write(e.withSeq(0)));
                        w.zadd(w.keys().alertEventsBySeq(), e.seq(), seq);
                        w.zadd(w.keys().alertEventsByTime(), e.at().toEpochMilli(), seq);
                        w.raise(w.keys().alertEventSeq(), e.seq());
                    });
}
