package io.agenthub.tck;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that tests move by hand. Millisecond precision, like the stores. */
public final class MutableClock implements InstantSource {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = Instant.ofEpochMilli(start.toEpochMilli());
    }

    public static MutableClock atSomeFixedTime() {
        return new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public synchronized void set(Instant t) {
        now = Instant.ofEpochMilli(t.toEpochMilli());
    }
}
