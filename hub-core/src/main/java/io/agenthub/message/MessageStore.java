package io.agenthub.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for messages. Cursors are assigned by the store, strictly increasing across every message of the hub and
 * never reused, also after a restart. Reads return messages in cursor order.
 */
public interface MessageStore {
    /**
     * Stores a message and, in the same atomic operation, puts it in the inbox of each of
     * {@link NewMessage#recipients()}. Returns the stored message with its cursor.
     */
    Message append(NewMessage message);

    /** Chat messages of {@code channel} with {@code cursor > after}, oldest first, at most {@code limit}. */
    List<Message> channel(String channel, long after, int limit);

    /** The newest {@code limit} chat messages of {@code channel}, oldest first. */
    List<Message> latest(String channel, int limit);

    /** Messages in {@code agentId}'s inbox with {@code cursor > after}, oldest first, at most {@code limit}. */
    List<Message> inbox(String agentId, long after, int limit);

    /** Every message with {@code cursor > after}, oldest first, at most {@code limit} (for admins and dashboards). */
    List<Message> all(long after, int limit);

    /** The message with this id, if retained. */
    Optional<Message> find(String id);

    /** Channels that have at least one retained message, by name. */
    List<String> channels();

    /** The highest cursor assigned so far, 0 if none. */
    long latestCursor();

    /**
     * Applies retention: deletes messages created before {@code olderThan}, and in each channel all but the newest
     * {@code perChannelCap} chat messages. Returns how many were deleted.
     */
    int purge(Instant olderThan, int perChannelCap);
}
