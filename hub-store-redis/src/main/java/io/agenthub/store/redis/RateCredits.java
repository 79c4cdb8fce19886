package io.agenthub.store.redis;

import io.agenthub.ratelimit.Rate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens this node took from a shared bucket in Redis ahead of need, so that a busy caller costs one script call per
 * batch instead of one per call. The bucket in Redis stays the only authority: a token is spent here only after Redis
 * granted it, so the fleet never admits more than the limit. A token left unused when its credit lapses
 * ({@value #VALID_MILLIS} ms after the take that brought it) is lost, which makes the limit stricter, by at most one
 * batch per node, for a caller whose calls stop or move to another node: a node asks for one batch of a key at a time,
 * and calls that miss meanwhile take a single token each.
 *
 * <p>A batch starts at one token and doubles each time a credit is used up before it lapses (the caller is busy), and
 * halves when the caller comes back after its credit lapsed; it never exceeds {@link #cap} of the rate: a second of
 * refill, an eighth of the burst, {@value #MAX_BATCH} tokens. Small limits (under 2 tokens a second or a burst under 16)
 * never take more than one token at a time, so they see exactly the bucket's arithmetic.
 */
final class RateCredits {
    static final int MAX_BATCH = 64;
    static final long VALID_MILLIS = 1_000;
    private static final int SWEEP_ABOVE = 10_000;
    private static final int SWEEP_EVERY = 4_096;

    /** One key's credit: tokens left, when they lapse, the size of the next batch, and whether one is being asked. */
    private static final class Credit {
        int left;
        long until;
        int batch = 1;
        boolean asking;
    }

    private final ConcurrentHashMap<String, Credit> credits = new ConcurrentHashMap<>();
    private final AtomicLong uses = new AtomicLong();

    /** The most tokens one take may ask Redis for under {@code rate}. */
    static int cap(Rate rate) {
        return Math.max(1, Math.min(MAX_BATCH, Math.min(rate.burst() / 8, rate.perMinute() / 60)));
    }

    /**
     * Spends one token of the key's credit if it has one that has not lapsed at {@code now} and returns 0. Otherwise
     * returns how many tokens to ask Redis for: a positive batch, or -1 for a single token while another call's batch is
     * on its way, so that callers arriving together ask for one batch between them, not one each. Either way the
     * answer goes to {@link #settle} with what Redis granted.
     */
    int spendOrAsk(String key, Rate rate, long now) {
        int cap = cap(rate);
        if (cap == 1) {
            return 1; // nothing is kept for this key (settle ignores it)
        }
        if (uses.incrementAndGet() % SWEEP_EVERY == 0 && credits.size() > SWEEP_ABOVE) {
            credits.values().removeIf(c -> !c.asking && c.until <= now);
        }
        int[] ask = {0};
        credits.compute(key, (k, c) -> {
            Credit credit = c == null ? new Credit() : c;
            boolean valid = now < credit.until && now >= credit.until - VALID_MILLIS;
            if (valid && credit.left > 0) {
                credit.left--;
                return credit;
            }
            if (credit.asking) {
                ask[0] = -1;
                return credit;
            }
            if (c != null) {
                // Used up in time: the caller is busy, ask for more. Lapsed: ask for fewer.
                credit.batch = valid ? Math.min(cap, credit.batch * 2) : Math.max(1, credit.batch / 2);
            }
            credit.left = 0;
            credit.asking = true;
            ask[0] = Math.min(cap, credit.batch);
            return credit;
        });
        return ask[0];
    }

    /**
     * Notes what Redis granted to a call that {@link #spendOrAsk} sent there with its answer {@code asked} ({@code
     * taken} tokens, 0 if refused or failed): the tokens beyond the one spent now are kept until {@value #VALID_MILLIS}
     * ms after {@code now}, with what is left of an earlier credit that has not lapsed; a batch ask ends.
     */
    void settle(String key, Rate rate, int asked, long taken, long now) {
        if (cap(rate) == 1) {
            return;
        }
        credits.compute(key, (k, c) -> {
            Credit credit = c == null ? new Credit() : c;
            if (asked > 0) {
                credit.asking = false;
            }
            if (taken > 0) {
                boolean valid = now < credit.until && now >= credit.until - VALID_MILLIS;
                credit.left = (valid ? credit.left : 0) + (int) (taken - 1);
                credit.until = now + VALID_MILLIS;
            }
            return credit;
        });
    }

    /** Keys with a credit kept (for tests). */
    int size() {
        return credits.size();
    }
}
