package io.agenthub.message;

import java.time.Duration;

/**
 * Wakes readers that wait for new messages. A store-specific implementation spans hub nodes (for example Redis
 * pub/sub); {@link LocalMessageSignal} serves a single process. Waiters must always re-read the store after waking: a
 * signal says "look again", never what arrived.
 */
public interface MessageSignal {
    /** Announces that messages up to {@code cursor} are stored. */
    void publish(long cursor);

    /**
     * Blocks until a cursor greater than {@code after} has been published or {@code timeout} passes; returns the
     * highest cursor known to this signal (which may be {@code <= after} on time-out).
     */
    long await(long after, Duration timeout) throws InterruptedException;
}
