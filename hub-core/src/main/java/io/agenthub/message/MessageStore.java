package io.agenthub.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for messages. Cursors are assigned by the store, strictly increasing across every message of the hub and
 * never reused, also after purges and restarts. Every read returns messages in cursor order, oldest first, and sees
 * only whole appends: a message is visible together with all of its inbox entries or not at all. Reads take
 * {@code after >= 0} and {@code limit >= 1}; the service validates both. The store keeps no clock: retention cut-offs
 * are passed in.
 */
public interface MessageStore {
    /**
     * Stores a message and, in the same atomic operation, puts it in the inbox of each of
     * {@link NewMessage#recipients()}. Returns the stored message with its cursor, which is greater than every cursor
     * handed out before. Concurrent appends get distinct cursors, and a message with a higher cursor never becomes
     * visible before one with a lower cursor.
     */
    Message append(NewMessage message);

    /** Chat messages of {@code channel} with {@code cursor > after}, oldest first, at most {@code limit}. */
    List<Message> channel(String channel, long after, int limit);

    /**
     * The newest {@code limit} chat messages of {@code channel} with {@code cursor < before}, oldest first: a page read
     * backwards from {@code before} ({@link Long#MAX_VALUE} for the newest page). Costs what the page holds, not what
     * the channel holds.
     */
    List<Message> latest(String channel, long before, int limit);

    /** Messages in {@code agentId}'s inbox with {@code cursor > after}, oldest first, at most {@code limit}. */
    List<Message> inbox(String agentId, long after, int limit);

    /** Chat messages of every channel with {@code cursor > after}, oldest first, at most {@code limit}. */
    List<Message> chat(long after, int limit);

    /**
     * What one agent's event feed shows: chat messages of every channel and the messages in {@code agentId}'s inbox,
     * each once (a chat message that mentions the agent is not repeated), with {@code cursor > after}, oldest first,
     * at most {@code limit}.
     */
    List<Message> chatAndInbox(String agentId, long after, int limit);

    /** Every message with {@code cursor > after}, oldest first, at most {@code limit} (for admins and dashboards). */
    List<Message> all(long after, int limit);

    /**
     * The newest {@code limit} messages of any kind created at or after {@code since}, oldest first (for digests,
     * which filter what the reader may see).
     */
    List<Message> since(java.time.Instant since, int limit);

    /** The message with this id ({@code "m" + cursor}), if retained; empty for ids of any other form. */
    Optional<Message> find(String id);

    /** Channels that have at least one retained message, by name. */
    List<String> channels();

    /**
     * Records that {@code agentId} has processed its inbox up to {@code cursor}. Monotonic: a lower cursor than the
     * stored one changes nothing. Atomic.
     */
    void acknowledge(String agentId, long cursor);

    /** The inbox cursor {@code agentId} last acknowledged, 0 if none. */
    long acknowledged(String agentId);

    /** The highest cursor assigned so far, also if that message was purged since; 0 if none ever was. */
    long latestCursor();

    /**
     * Applies retention: deletes messages created before {@code olderThan}, and in each channel all but the newest
     * {@code perChannelCap} chat messages, together with their inbox entries. Direct messages and notices are subject
     * to the age limit only. Returns how many messages were deleted.
     */
    default int purge(Instant olderThan, int perChannelCap) {
        int total = 0;
        int step;
        do {
            step = purge(olderThan, perChannelCap, PURGE_STEP);
            total += step;
        } while (step >= PURGE_STEP);
        return total;
    }

    /** Most messages one {@link #purge(Instant, int, int)} step deletes in {@link #purge(Instant, int)}. */
    int PURGE_STEP = 1000;

    /**
     * One atomic step of retention: deletes at most {@code max} of the messages {@link #purge(Instant, int)} would
     * delete, oldest first within each rule, and returns how many it deleted (fewer than {@code max}: nothing is left
     * to delete). Retention runs in such steps so that deleting a large backlog never holds up other writes for long.
     */
    int purge(Instant olderThan, int perChannelCap, int max);
}
