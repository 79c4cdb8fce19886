package io.agenthub.store.sqlite;

import io.agenthub.lease.Resources;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names this process's writer granted and has not seen end, with when each grant expires: a hint that tells an
 * acquire whether another holder's lease could block it, so that an acquire of a name nobody holds goes straight to the
 * writer instead of first asking a reader connection.
 *
 * <p>It decides nothing. A name missing from it (a grant whose note was lost, a lease ended by a path that does not
 * tell it) only sends a refusal to the writer, which checks every overlap again in its transaction and is the only
 * place that grants or fences; a name kept after its lease ended only costs the reader's check. Grants and releases are
 * noted on the writer thread inside the transaction that makes them, so the notes follow the writes in order.
 */
final class HeldLeaseNames {
    /** Past this many names, the expired ones are swept out on the next grant. */
    static final int SWEEP_AT = 4_096;

    /** Name → [token, expiry in epoch ms]. */
    private final ConcurrentSkipListMap<String, long[]> names = new ConcurrentSkipListMap<>();
    /** How many names are noted: the map's own size() walks it, and a grant must not cost what is held. */
    private final AtomicInteger count = new AtomicInteger();

    private volatile int sweepAt = SWEEP_AT;

    /** A grant (or an extension) of {@code resource} with {@code token} until {@code expiresAt} ms. */
    void granted(String resource, long token, long expiresAt, long now) {
        if (names.put(resource, new long[] {token, expiresAt}) == null && count.incrementAndGet() >= sweepAt) {
            sweep(now);
        }
    }

    /** The grant of {@code resource} with {@code token} ended; a later grant of the name stays noted. */
    void ended(String resource, long token) {
        names.computeIfPresent(resource, (k, v) -> {
            if (v[0] != token) {
                return v;
            }
            count.decrementAndGet();
            return null;
        });
    }

    /** Forgets every name (a restore replaced the table); {@link #granted} notes them again. */
    void clear() {
        names.clear();
        count.set(0);
    }

    /**
     * Whether a lease of another holder may overlap {@code resource} at {@code now}: a noted grant of the name itself,
     * of a zone enclosing it, or (for a zone) of a name inside it, not yet expired.
     */
    boolean mayOverlap(String resource, long now) {
        if (live(names.get(resource), now)) {
            return true;
        }
        for (String zone : Resources.enclosingZones(resource)) {
            if (live(names.get(zone), now)) {
                return true;
            }
        }
        if (Resources.isZone(resource)) {
            for (Map.Entry<String, long[]> e : names.tailMap(resource, false).entrySet()) {
                if (!e.getKey().startsWith(resource)) {
                    break;
                }
                if (live(e.getValue(), now)) {
                    return true;
                }
            }
        }
        return false;
    }

    int size() {
        return count.get();
    }

    private static boolean live(long[] grant, long now) {
        return grant != null && grant[1] > now;
    }

    /** Drops the expired names; if most are live, the next sweep waits until there are twice as many. */
    private void sweep(long now) {
        for (Iterator<long[]> it = names.values().iterator(); it.hasNext(); ) {
            if (it.next()[1] <= now) {
                it.remove();
                count.decrementAndGet();
            }
        }
        sweepAt = Math.max(SWEEP_AT, count.get() * 2);
    }
}
