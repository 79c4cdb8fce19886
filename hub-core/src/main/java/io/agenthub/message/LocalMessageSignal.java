package io.agenthub.message;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link MessageSignal} for one process. Each waiter waits on a condition of its own, filed under the topics it
 * reads; an announcement wakes the waiters of its topics and those that read everything, so its cost follows who
 * could be answered, not how many wait.
 */
public final class LocalMessageSignal implements MessageSignal {
    /** Waiters that read every announcement. */
    private static final String ANY = "\u0000any";

    private final ReentrantLock lock = new ReentrantLock();
    private volatile long highest;
    /** The highest cursor announced to everyone. */
    private long everyone;
    /** Per topic, the highest cursor announced for it; one entry per channel and agent that had a message. */
    private final Map<String, Long> latest = new HashMap<>();
    /** Waiting conditions by topic (and {@link #ANY}). */
    private final Map<String, Set<Condition>> waiting = new HashMap<>();

    public LocalMessageSignal(long initial) {
        this.highest = initial;
        this.everyone = initial;
    }

    @Override
    public void publish(long cursor) {
        publish(cursor, null);
    }

    @Override
    public void publish(long cursor, Set<String> topics) {
        lock.lock();
        try {
            boolean all = topics == null || topics.isEmpty();
            if (all && cursor <= everyone) {
                return;
            }
            if (all) {
                highest = Math.max(highest, cursor);
                everyone = cursor;
                waiting.values().forEach(l -> l.forEach(Condition::signal));
                return;
            }
            // Only waiters whose cursor rose are woken: a node's own announcement coming back from Redis wakes nobody.
            if (cursor > highest) {
                highest = cursor;
                wake(ANY);
            }
            for (String t : topics) {
                Long known = latest.get(t);
                if (known == null || cursor > known) {
                    latest.put(t, cursor);
                    wake(t);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void wake(String topic) {
        Set<Condition> l = waiting.get(topic);
        if (l != null) {
            l.forEach(Condition::signal);
        }
    }

    @Override
    public long await(long after, Duration timeout) throws InterruptedException {
        return await(after, null, timeout);
    }

    @Override
    public long await(long after, Set<String> topics, Duration timeout) throws InterruptedException {
        if (topics == null && highest > after) {
            return highest;
        }
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            long known = known(topics);
            if (known > after || nanos <= 0) {
                return known;
            }
            Condition mine = lock.newCondition();
            List<String> keys = topics == null ? List.of(ANY) : List.copyOf(topics);
            keys.forEach(
                    k -> waiting.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(mine));
            try {
                while ((known = known(topics)) <= after && nanos > 0) {
                    nanos = mine.awaitNanos(nanos);
                }
                return known;
            } finally {
                for (String k : keys) {
                    Set<Condition> l = waiting.get(k);
                    l.remove(mine);
                    if (l.isEmpty()) {
                        waiting.remove(k);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The highest cursor that concerns a waiter of {@code topics} (under the lock). */
    private long known(Set<String> topics) {
        if (topics == null) {
            return highest;
        }
        long out = everyone;
        for (String t : topics) {
            Long c = latest.get(t);
            if (c != null && c > out) {
                out = c;
            }
        }
        return out;
    }

    /** Exposed for tests. */
    long highest() {
        return highest;
    }

    /** How many waiters wait now, for tests. */
    int waiters() {
        lock.lock();
        try {
            return (int)
                    waiting.values().stream().flatMap(Set::stream).distinct().count();
        } finally {
            lock.unlock();
        }
    }
}
