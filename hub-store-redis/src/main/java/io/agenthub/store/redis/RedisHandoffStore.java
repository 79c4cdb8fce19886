package io.agenthub.store.redis;

import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.handoff.NewHandoff;
import io.agenthub.handoff.Target;
import io.agenthub.lease.Lease;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Handoffs in Redis, under the lease hash tag: accepting one re-grants its leases with tokens from the lease fence
 * counter in the same script, so no listed resource is ever unowned or owned twice in between, also with other nodes
 * acquiring meanwhile. Every state change is a compare-and-set on the status inside one script.
 */
final class RedisHandoffStore implements HandoffStore {
    private static final String LIB = "handoff-lib";
    private static final LuaScript CREATE = LuaScript.load("handoff-create", LIB);
    private static final LuaScript ACCEPT = LuaScript.load("handoff-accept", "lease-lib", LIB);
    private static final LuaScript CHANGE = LuaScript.load("handoff-change", LIB);
    private static final LuaScript LIST = LuaScript.load("handoff-list", LIB);
    private static final LuaScript DUE = LuaScript.load("handoff-due", LIB);
    private static final LuaScript FIND = LuaScript.load("handoff-find", LIB);

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisHandoffStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** The zero-padded form of a handoff's sequence number in its keys. */
    private static String seq(long n) {
        return String.format("%012d", n);
    }

    @Override
    public Created create(NewHandoff h) {
        List<Object> reply = redis.eval(
                CREATE,
                ScriptOutputType.MULTI,
                new String[] {keys.handoffSeq()},
                keys.leaseBase(),
                h.dedupeKey(),
                Replies.millis(h.expiresAt()),
                Replies.millis(h.createdAt()),
                "kind",
                h.kind().name(),
                "from",
                h.from(),
                "to",
                h.to().toString(),
                "fallback",
                h.fallback() == null ? "" : h.fallback().toString(),
                "title",
                h.title(),
                "context",
                h.context(),
                "next",
                Json.write(h.nextSteps()),
                "files",
                Json.write(h.files()),
                "leases",
                Json.write(h.leases()),
                "cpv",
                Long.toString(h.checkpointVersion()));
        return new Created(handoff(reply.get(1)).orElseThrow(), Replies.number(reply.get(0)) == 1);
    }

    @Override
    public Optional<Handoff> find(String id) {
        long n = Handoff.seqOf(id);
        if (n < 0) {
            return Optional.empty();
        }
        return handoff(redis.eval(
                FIND, ScriptOutputType.MULTI, new String[] {keys.handoff(seq(n))}, keys.leaseBase(), seq(n)));
    }

    @Override
    public List<Handoff> list(Set<HandoffStatus> statuses, int limit) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of(keys.leaseBase(), Integer.toString(Math.max(1, limit))));
        statuses.forEach(s -> args.add(s.name()));
        return handoffs(redis.eval(
                LIST, ScriptOutputType.MULTI, new String[] {keys.handoffSeq()}, args.toArray(String[]::new)));
    }

    @Override
    public Acceptance accept(String id, String acceptor, Duration leaseTtl, Instant now) {
        long n = Handoff.seqOf(id);
        if (n < 0) {
            return new Acceptance.Refused(null);
        }
        List<Object> reply = redis.eval(
                ACCEPT,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseNames(), keys.leaseEnds(), keys.fence()},
                keys.leaseBase(),
                seq(n),
                acceptor,
                Replies.millis(now.plus(leaseTtl)),
                Replies.millis(now));
        Optional<Handoff> handoff = handoff(reply.get(1));
        if (Replies.number(reply.get(0)) != 1) {
            return new Acceptance.Refused(handoff.orElse(null));
        }
        return new Acceptance.Accepted(handoff.orElseThrow(), leases(reply.get(2)), leases(reply.get(3)));
    }

    @Override
    public Optional<Handoff> decline(String id, String agentId, boolean close, String reason, Instant now) {
        return change(id, "decline", now, agentId, close ? "1" : "0", reason == null ? "" : reason);
    }

    @Override
    public Optional<Handoff> complete(String id, String acceptor, String note, Instant now) {
        return change(id, "complete", now, acceptor, note == null ? "" : note);
    }

    @Override
    public Optional<Handoff> cancel(String id, String note, Instant now) {
        return change(id, "cancel", now, note == null ? "" : note);
    }

    @Override
    public Optional<Handoff> expire(String id, Target retarget, Instant newExpiresAt, String note, Instant now) {
        return change(
                id,
                "expire",
                now,
                retarget == null ? "" : retarget.toString(),
                newExpiresAt == null ? "0" : Replies.millis(newExpiresAt),
                note == null ? "" : note);
    }

    @Override
    public List<Handoff> due(Instant now, int limit) {
        return handoffs(redis.eval(
                DUE,
                ScriptOutputType.MULTI,
                new String[] {keys.handoffDue()},
                keys.leaseBase(),
                Replies.millis(now),
                Integer.toString(Math.max(1, limit))));
    }

    private Optional<Handoff> change(String id, String op, Instant now, String... args) {
        long n = Handoff.seqOf(id);
        if (n < 0) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>(List.of(keys.leaseBase(), seq(n), op, Replies.millis(now)));
        all.addAll(List.of(args));
        return handoff(redis.eval(
                CHANGE, ScriptOutputType.MULTI, new String[] {keys.handoff(seq(n))}, all.toArray(String[]::new)));
    }

    private static List<Handoff> handoffs(Object reply) {
        List<Handoff> out = new ArrayList<>();
        for (Object o : Replies.list(reply)) {
            handoff(o).ifPresent(out::add);
        }
        return out;
    }

    /** A handoff sent as {fields, decliners}; empty for an empty reply. */
    private static Optional<Handoff> handoff(Object reply) {
        List<Object> parts = Replies.list(reply);
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        List<String> declined =
                Replies.list(parts.get(1)).stream().map(Replies::string).toList();
        return Optional.of(handoff(Replies.hash(parts.get(0)), declined));
    }

    /** A handoff from its hash's fields and its decliners. */
    private static Handoff handoff(Map<String, String> f, List<String> declined) {
        String fallback = f.get("fallback");
        return new Handoff(
                Handoff.idOf(Long.parseLong(f.get("seq"))),
                Handoff.Kind.valueOf(f.get("kind")),
                f.get("from"),
                Target.parse(f.get("to")),
                fallback == null || fallback.isEmpty() ? null : Target.parse(fallback),
                f.get("title"),
                f.get("context"),
                Json.list(f.get("next")),
                Json.list(f.get("files")),
                Json.list(f.get("leases")),
                Long.parseLong(f.get("cpv")),
                HandoffStatus.valueOf(f.get("status")),
                declined,
                f.get("acceptedBy"),
                f.get("note"),
                Replies.millis(f.get("created")),
                Replies.millis(f.get("updated")),
                Replies.millis(f.get("expires")),
                Replies.optionalMillis(f.get("accepted")),
                Replies.optionalMillis(f.get("closed")),
                "1".equals(f.get("returned")));
    }

    /** Leases sent as seven strings each, as the lease scripts send them. */
    private static List<Lease> leases(Object reply) {
        List<Object> flat = Replies.list(reply);
        List<Lease> out = new ArrayList<>();
        for (int i = 0; i + 6 < flat.size(); i += 7) {
            out.add(new Lease(
                    Replies.string(flat.get(i)),
                    Replies.string(flat.get(i + 1)),
                    Replies.number(flat.get(i + 2)),
                    Replies.millis(Replies.string(flat.get(i + 3))),
                    Replies.millis(Replies.string(flat.get(i + 4))),
                    Replies.string(flat.get(i + 5))));
        }
        return out;
    }

    /**
     * Handoffs in snapshots, by number, with their dedupe keys, written back as handoff-create.lua and the status
     * changes of handoff-lib.lua write them.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.HandoffRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        TreeSet<Long> seqs = new TreeSet<>();
                        for (HandoffStatus status : HandoffStatus.values()) {
                            x.sync()
                                    .zrange(keys.handoffStatus(status.name()), 0, -1)
                                    .forEach(s -> seqs.add(Long.parseLong(s)));
                        }
                        List<String> padded =
                                seqs.stream().map(RedisHandoffStore::seq).toList();
                        List<Map<String, String>> fields = x.pipe().each(padded, (a, s) -> a.hgetall(keys.handoff(s)));
                        List<List<String>> declined =
                                x.pipe().each(padded, (a, s) -> a.lrange(keys.handoffDeclined(s), 0, -1));
                        for (int i = 0; i < padded.size(); i++) {
                            Map<String, String> f = fields.get(i);
                            if (!f.isEmpty()) {
                                sink.accept(
                                        new SnapshotRecord.HandoffRow(handoff(f, declined.get(i)), f.get("dedupe")));
                            }
                        }
                    },
                    (w, row) -> restoreHandoff(w, row.handoff(), row.dedupeKey()));

    private static void restoreHandoff(RedisSnapshotRestore w, Handoff h, String dedupeKey) {
        RedisKeys keys = w.keys();
        long n = Handoff.seqOf(h.id());
        String s = seq(n);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("seq", s);
        f.put("status", h.status().name());
        f.put("dedupe", dedupeKey);
        f.put("expires", Replies.millis(h.expiresAt()));
        f.put("created", Replies.millis(h.createdAt()));
        f.put("updated", Replies.millis(h.updatedAt()));
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
            f.put("accepted", Replies.millis(h.acceptedAt()));
        }
        if (h.closedAt() != null) {
            f.put("closed", Replies.millis(h.closedAt()));
        }
        w.hset(keys.handoff(s), f);
        if (!h.declinedBy().isEmpty()) {
            String declined = keys.handoffDeclined(s);
            String[] agents = h.declinedBy().toArray(String[]::new);
            w.send(declined, a -> a.rpush(declined, agents));
        }
        w.zadd(keys.handoffStatus(h.status().name()), n, s);
        if (h.status() == HandoffStatus.PENDING) {
            w.zadd(keys.handoffDue(), h.expiresAt().toEpochMilli(), s);
        }
        if (h.status().open() && !dedupeKey.isEmpty()) {
            w.hset(keys.handoffOpen(), dedupeKey, s);
        }
        w.raise(keys.handoffSeq(), n);
    }
}
