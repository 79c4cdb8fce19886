package io.agenthub.message;

import java.time.Duration;
import java.util.Set;

/**
 * Wakes readers that wait for new messages. A store-specific implementation spans hub nodes (for example Redis
 * pub/sub); {@link LocalMessageSignal} serves a single process. Waiters must always re-read the store after waking: a
 * signal says "look again", never what arrived.
 *
 * <p>An announcement may name the {@link MessageTopics topics} its message concerns, and a waiter the topics it reads:
 * it is then woken only by announcements of one of them, or by an announcement that names none (which concerns
 * everyone: a node catching up after a lost subscription does not know what it missed).
 */
public interface MessageSignal {
    /** Announces that messages up to {@code cursor} are stored, concerning everyone. */
    void publish(long cursor);

    /**
     * Blocks until a cursor greater than {@code after} has been published or {@code timeout} passes; returns the
     * highest cursor known to this signal (which may be {@code <= after} on time-out).
     */
    long await(long after, Duration timeout) throws InterruptedException;

    /** Announces that messages up to {@code cursor} are stored, the newest concerning {@code topics} only. */
    default void publish(long cursor, Set<String> topics) {
        publish(cursor);
    }

    /**
     * As {@link #await(long, Duration)}, woken only by announcements of one of {@code topics} (or of everyone); returns
     * the highest such cursor known. Null topics: every announcement.
     */
    default long await(long after, Set<String> topics, Duration timeout) throws InterruptedException {
        return await(after, timeout);
    }
}
