package io.agenthub.ratelimit;

import java.time.Instant;
import java.util.Objects;

/**
 * A fleet-wide hold kept next to the rate limiter's buckets: a state that reports past a rate extend, such as the
 * hub's back-off from LLM throttling, shared by every hub node on the store.
 *
 * @param since when the hold started (the report that started it)
 * @param until when it ends unless extended
 * @param count the extensions since it started, the first included
 * @param started true only in the answer to the call that started it (so that exactly one node announces the start)
 */
public record Hold(Instant since, Instant until, long count, boolean started) {
    public Hold {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
    }

    /** Whether the hold still holds at {@code now}. */
    public boolean holdsAt(Instant now) {
        return now.isBefore(until);
    }
}
