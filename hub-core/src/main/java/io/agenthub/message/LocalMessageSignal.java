package io.agenthub.message;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link MessageSignal} for one process. */
public final class LocalMessageSignal implements MessageSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long highest;

    public LocalMessageSignal(long initial) {
        this.highest = initial;
    }

    @Override
    public void publish(long cursor) {
        lock.lock();
        try {
            if (cursor > highest) {
                highest = cursor;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long await(long after, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        if (highest > after) {
            return highest;
        }
        lock.lock();
        try {
            while (highest <= after && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return highest;
        } finally {
            lock.unlock();
        }
    }

    /** Exposed for tests. */
    long highest() {
        return highest;
    }
}
