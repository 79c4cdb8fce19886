package io.agenthub.store.redis;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseOutcome;
import io.agenthub.lease.LeaseStore;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Leases in Redis. Every method is one Lua script, so Redis runs it without interleaving: acquire checks the resource,
 * the zones above it and (for a zone) every name below it, takes the next fencing token with {@code INCR} on one
 * counter, and writes the grant, all in one step. Nothing is read into Java to decide and written back.
 *
 * <p>Grants are not given a Redis TTL: validity is judged against the {@code now} the caller passes (the hub's cluster
 * clock), and a janitor purges ended grants. A zone acquire scans the names below the zone in an index of the grants
 * not released, and drops from it the expired ones it meets, so its cost follows the grants active below the zone, not
 * the history of ended ones.
 */
final class RedisLeaseStore implements LeaseStore {
    private static final String LIB = "lease-lib";
    private static final LuaScript ACQUIRE = LuaScript.load("lease-acquire", LIB);
    private static final LuaScript RENEW = LuaScript.load("lease-renew", LIB);
    private static final LuaScript RELEASE = LuaScript.load("lease-release", LIB);
    private static final LuaScript FORCE_RELEASE = LuaScript.load("lease-force-release", LIB);
    private static final LuaScript ACTIVE = LuaScript.load("lease-active", LIB);
    private static final LuaScript HELD_BY = LuaScript.load("lease-held-by", LIB);
    private static final LuaScript OVERLAPPING = LuaScript.load("lease-overlapping", LIB);
    private static final LuaScript PURGE = LuaScript.load("lease-purge");
    /** Grants forgotten per purge script, so that one purge never blocks Redis for long. */
    private static final int PURGE_BATCH = 500;

    private static final Comparator<Lease> BY_RESOURCE = Comparator.comparing(Lease::resource);

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisLeaseStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Acquisition tryAcquire(String resource, String holder, Duration ttl, String note, Instant now, int maxHeld) {
        List<Object> reply = redis.eval(
                ACQUIRE,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseNames(), keys.leaseEnds(), keys.fence()},
                keys.leaseBase(),
                resource,
                holder,
                Replies.millis(now.plus(ttl)),
                note == null ? "" : note,
                Replies.millis(now),
                Integer.toString(maxHeld));
        String verdict = Replies.string(reply.get(0));
        if (verdict.equals("limit")) {
            return new Acquisition.LimitReached((int) Replies.number(reply.get(1)));
        }
        List<Lease> leases = leases(reply.get(1));
        return switch (verdict) {
            case "refused" -> new Acquisition.Refused(sorted(leases));
            case "renewed" -> new Acquisition.Granted(leases.getFirst(), true);
            case "granted" -> new Acquisition.Granted(leases.getFirst(), false);
            default -> throw new IllegalStateException("unexpected acquire reply " + verdict);
        };
    }

    @Override
    public LeaseOutcome renew(String resource, String holder, long token, Duration ttl, Instant now) {
        return outcome(redis.eval(
                RENEW,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseEnds()},
                keys.leaseBase(),
                resource,
                holder,
                Long.toString(token),
                Replies.millis(now.plus(ttl)),
                Replies.millis(now)));
    }

    @Override
    public LeaseOutcome release(String resource, String holder, long token, Instant now) {
        return outcome(redis.eval(
                RELEASE,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseEnds()},
                keys.leaseBase(),
                resource,
                holder,
                Long.toString(token),
                Replies.millis(now)));
    }

    @Override
    public Optional<Lease> forceRelease(String resource, Instant now) {
        List<Object> reply = redis.eval(
                FORCE_RELEASE,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseEnds()},
                keys.leaseBase(),
                resource,
                Replies.millis(now));
        return leases(reply).stream().findFirst();
    }

    @Override
    public List<Lease> active(Instant now) {
        return sorted(leases(redis.eval(
                ACTIVE,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseEnds()},
                keys.leaseBase(),
                Replies.millis(now))));
    }

    @Override
    public List<Lease> heldBy(String holder, Instant now) {
        return sorted(leases(redis.eval(
                HELD_BY,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseHolder(holder)},
                keys.leaseBase(),
                holder,
                Replies.millis(now))));
    }

    @Override
    public List<Lease> overlapping(String resource, Instant now) {
        return sorted(leases(redis.eval(
                OVERLAPPING,
                ScriptOutputType.MULTI,
                new String[] {keys.leaseNames()},
                keys.leaseBase(),
                resource,
                Replies.millis(now))));
    }

    @Override
    public int purgeEndedBefore(Instant before) {
        int total = 0;
        while (true) {
            long n = redis.eval(
                    PURGE,
                    ScriptOutputType.INTEGER,
                    new String[] {keys.leaseNames(), keys.leaseEnds()},
                    keys.leaseBase(),
                    Replies.millis(before),
                    Integer.toString(PURGE_BATCH));
            total += (int) n;
            if (n < PURGE_BATCH) {
                return total;
            }
        }
    }

    private static LeaseOutcome outcome(List<Object> reply) {
        boolean applied = Replies.number(reply.get(0)) == 1;
        List<Object> flat = Replies.list(reply.get(1));
        if (flat.isEmpty()) {
            return new LeaseOutcome(applied, null, null);
        }
        return new LeaseOutcome(applied, lease(flat, 0), Replies.optionalMillis(Replies.string(flat.get(6))));
    }

    /** Grants sent as seven strings each: resource, holder, token, acquired, expires, note, released. */
    private static List<Lease> leases(Object reply) {
        List<Object> flat = Replies.list(reply);
        List<Lease> out = new ArrayList<>(flat.size() / 7);
        for (int i = 0; i + 6 < flat.size(); i += 7) {
            out.add(lease(flat, i));
        }
        return out;
    }

    private static Lease lease(List<Object> flat, int i) {
        return new Lease(
                Replies.string(flat.get(i)),
                Replies.string(flat.get(i + 1)),
                Replies.number(flat.get(i + 2)),
                Replies.millis(Replies.string(flat.get(i + 3))),
                Replies.millis(Replies.string(flat.get(i + 4))),
                Replies.string(flat.get(i + 5)));
    }

    private static List<Lease> sorted(List<Lease> leases) {
        List<Lease> out = new ArrayList<>(leases);
        out.sort(BY_RESOURCE);
        return out;
    }

    /**
     * Leases in snapshots: the fencing counter and the latest grant of every resource, written back as
     * lease-acquire.lua and lease_end in lease-lib.lua write them.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.Fence.class,
                    (x, sink) -> sink.accept(
                            new SnapshotRecord.Fence(x.number(x.keys().fence()))),
                    (w, f) -> w.raise(w.keys().fence(), f.lastToken()))
            .record(SnapshotRecord.LeaseRow.class, RedisLeaseStore::exportLeases, RedisLeaseStore::restoreLease);

    private static void exportLeases(RedisSnapshotExport x, Consumer<SnapshotRecord> sink) {
        RedisKeys keys = x.keys();
        // Every grant kept (ended ones too) is in the ends index; the names index holds only grants not released.
        List<String> names = new ArrayList<>(x.sync().zrange(keys.leaseEnds(), 0, -1));
        names.sort(null);
        List<Map<String, String>> grants = x.pipe().each(names, (a, name) -> a.hgetall(keys.lease(name)));
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
            sink.accept(new SnapshotRecord.LeaseRow(lease, Replies.optionalMillis(f.get("released"))));
        }
    }

    private static void restoreLease(RedisSnapshotRestore w, SnapshotRecord.LeaseRow row) {
        RedisKeys keys = w.keys();
        Lease l = row.lease();
        Instant releasedAt = row.releasedAt();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("holder", l.holder());
        f.put("token", Long.toString(l.token()));
        f.put("acquired", Replies.millis(l.acquiredAt()));
        f.put("expires", Replies.millis(l.expiresAt()));
        f.put("note", l.note());
        if (releasedAt != null) {
            f.put("released", Replies.millis(releasedAt));
        }
        w.hset(keys.lease(l.resource()), f);
        w.zadd(keys.leaseEnds(), (releasedAt != null ? releasedAt : l.expiresAt()).toEpochMilli(), l.resource());
        if (releasedAt == null) {
            w.zadd(keys.leaseNames(), 0, l.resource());
            w.sadd(keys.leaseHolder(l.holder()), l.resource());
        }
        w.raise(keys.fence(), l.token());
    }
}
