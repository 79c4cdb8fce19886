package io.agenthub.ratelimit;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RateLimitStore} whose {@link Hold}s live in the memory of one process, for a store that one process owns
 * (SQLite) and for stores in tests: each hold operation is one {@link ConcurrentHashMap} step on its key, atomic per
 * key. Holds are few (one per rule), so nothing is swept. Subclasses keep the buckets.
 */
public abstract class LocalHolds implements RateLimitStore {
    private final ConcurrentHashMap<String, Hold> holds = new ConcurrentHashMap<>();

    @Override
    public Hold extendHold(String key, Instant until, Instant now) {
        return holds.compute(key, (k, old) -> {
            if (old == null || !old.holdsAt(now)) {
                return new Hold(now, until, 1, true);
            }
            Instant end = until.isAfter(old.until()) ? until : old.until();
            return new Hold(old.since(), end, old.count() + 1, false);
        });
    }

    @Override
    public Optional<Hold> hold(String key) {
        Hold h = holds.get(key);
        return h == null ? Optional.empty() : Optional.of(new Hold(h.since(), h.until(), h.count(), false));
    }

    @Override
    public boolean endHold(String key, Instant now) {
        boolean[] ended = {false};
        holds.computeIfPresent(key, (k, h) -> {
            if (h.holdsAt(now)) {
                return h;
            }
            ended[0] = true;
            return null;
        });
        return ended[0];
    }
}
