package io.agenthub.server.selftest;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** The clock of one scratch hub: starts at real time, and a check may move it forward to test expiry without waiting. */
public final class ScratchClock implements InstantSource {
    private volatile Instant now;

    ScratchClock(Instant start) {
        this.now = Instant.ofEpochMilli(start.toEpochMilli());
    }

    @Override
    public Instant instant() {
        return now;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }
}
