package io.agenthub.store.redis;

import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit log in Redis: a stream whose entry ids are {@code <seq>-0}, appended by a script that takes the next
 * sequence number with {@code INCR} and adds the entry in the same step.
 */
final class RedisAuditStore implements AuditStore {
    private static final LuaScript APPEND = LuaScript.load("audit-append");

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

    /** An event from its stream entry, whose id is {@code <seq>-0}. */
    static AuditEvent event(StreamMessage<String, String> m) {
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
}
