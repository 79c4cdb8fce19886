package io.agenthub.store.redis;

import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditStore;
import io.agenthub.audit.SecurityEvent;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log in Redis: a stream whose entry ids are {@code <seq>-0}, appended by a script that takes the next
 * sequence number with {@code INCR} and adds the entry in the same step. Security events are counted like the
 * operation counters, with the same scripts: one hash per minute from {@code kind\nsubject\ndetail} to a count,
 * indexed by a sorted set.
 */
final class RedisAuditStore implements AuditStore {
    private static final LuaScript APPEND = LuaScript.load("audit-append");
    private static final LuaScript ADD = LuaScript.load("counter-add");
    private static final LuaScript SUM = LuaScript.load("counter-sum");
    private static final LuaScript PURGE = LuaScript.load("counter-purge");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisAuditStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public AuditEvent append(AuditEvent e) {
        long seq = redis.eval(
                APPEND,
                ScriptOutputType.INTEGER,
                new String[] {keys.auditSeq(), keys.auditLog()},
                "at",
                Replies.millis(e.at()),
                "actor",
                e.actor(),
                "action",
                e.action(),
                "subject",
                e.subject(),
                "details",
                Json.write(e.details()));
        return new AuditEvent(seq, e.at(), e.actor(), e.action(), e.subject(), e.details());
    }

    @Override
    public List<AuditEvent> list(long after, int limit) {
        List<StreamMessage<String, String>> entries = redis.call(
                "audit",
                c -> c.xrange(
                        keys.auditLog(),
                        Range.from(Range.Boundary.including((after + 1) + "-0"), Range.Boundary.unbounded()),
                        Limit.from(limit)));
        List<AuditEvent> out = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> m : entries) {
            out.add(event(m));
        }
        return out;
    }

    @Override
    public List<AuditEvent> latest(long before, int limit) {
        List<StreamMessage<String, String>> entries = redis.call(
                "audit",
                c -> c.xrevrange(
                        keys.auditLog(),
                        Range.from(
                                Range.Boundary.unbounded(),
                                before == Long.MAX_VALUE
                                        ? Range.Boundary.unbounded()
                                        : Range.Boundary.excluding(before + "-0")),
                        Limit.from(limit)));
        List<AuditEvent> out = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> m : entries.reversed()) {
            out.add(event(m));
        }
        return out;
    }

    @Override
    public void addSecurityEvents(Instant minute, List<SecurityEvent> counts) {
        if (counts.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(minute.toEpochMilli()));
        for (SecurityEvent e : counts) {
            args.add(e.kind() + "\n" + e.subject() + "\n" + e.detail());
            args.add(Long.toString(e.count()));
        }
        redis.eval(
                ADD,
                ScriptOutputType.INTEGER,
                new String[] {keys.securityBucket(minute.toEpochMilli()), keys.securityIndex()},
                args.toArray(String[]::new));
    }

    @Override
    public List<SecurityEvent> securityEvents(Instant from, Instant to) {
        List<Object> flat = redis.eval(
                SUM,
                ScriptOutputType.MULTI,
                new String[] {keys.securityIndex()},
                keys.securityBase(),
                Long.toString(from.toEpochMilli()),
                Long.toString(to.toEpochMilli()));
        List<SecurityEvent> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String[] row = Replies.string(flat.get(i)).split("\n", 3);
            out.add(new SecurityEvent(
                    row[0],
                    row.length > 1 ? row[1] : "",
                    row.length > 2 ? row[2] : "",
                    Long.parseLong(Replies.string(flat.get(i + 1)))));
        }
        out.sort(SecurityEvent.ORDER);
        return out;
    }

    @Override
    public int purgeSecurityEventsBefore(Instant before) {
        long n = redis.eval(
                PURGE,
                ScriptOutputType.INTEGER,
                new String[] {keys.securityIndex()},
                keys.securityBase(),
                Long.toString(before.toEpochMilli()));
        return (int) n;
    }

    /** An event from its stream entry, whose id is {@code <seq>-0}. */
    private static AuditEvent event(StreamMessage<String, String> m) {
        Map<String, String> f = m.getBody();
        long seq = Long.parseLong(m.getId().substring(0, m.getId().indexOf('-')));
        return new AuditEvent(
                seq,
                Replies.millis(f.get("at")),
                f.get("actor"),
                f.get("action"),
                f.get("subject"),
                Json.map(f.get("details")));
    }

    /** Audit entries per {@code XRANGE} of a snapshot export. */
    private static final int EXPORT_PAGE = 5_000;

    /**
     * The audit log in snapshots (security events are not part of a snapshot), oldest first, written back as
     * audit-append.lua writes it, with each event's own sequence number as its entry id.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.AuditRow.class,
                    (x, sink) -> {
                        Range<String> range = Range.create("-", "+");
                        while (true) {
                            List<StreamMessage<String, String>> page =
                                    x.sync().xrange(x.keys().auditLog(), range, Limit.from(EXPORT_PAGE));
                            page.forEach(m -> sink.accept(new SnapshotRecord.AuditRow(event(m))));
                            if (page.size() < EXPORT_PAGE) {
                                return;
                            }
                            range = Range.from(
                                    Range.Boundary.excluding(page.getLast().getId()), Range.Boundary.unbounded());
                        }
                    },
                    (w, row) -> {
                        AuditEvent e = row.event();
                        Map<String, String> body = new LinkedHashMap<>();
                        body.put("at", Replies.millis(e.at()));
                        body.put("actor", e.actor());
                        body.put("action", e.action());
                        body.put("subject", e.subject());
                        body.put("details", Json.write(e.details()));
                        String key = w.keys().auditLog();
                        w.send(key, a -> a.xadd(key, new XAddArgs().id(e.seq() + "-0"), body));
                        w.raise(w.keys().auditSeq(), e.seq());
                    });
}
