package io.agenthub.store.sqlite;

import io.agenthub.message.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The newest messages of the channels written lately, in memory, so that a reader following a channel (the common read:
 * {@code after} a cursor it was given, a page at a time) is answered without the database. The process owns the data
 * directory, so the table changes only through this process's writer, and the writer tells this class of every change
 * once it has committed ({@link SqliteDatabase#afterCommit}), in commit order.
 *
 * <p>A channel's tail holds every message of the channel with a cursor above its {@code coveredAfter}, and nothing
 * else: it starts at the first message appended after the process opened the store (or after the tail was dropped),
 * covering from the channel's previous message (0 for a channel with none, so a new channel's followers read from
 * memory from its first message),
 * and when it grows past {@value #MAX_MESSAGES} messages or {@value #MAX_CHARS} characters of text its oldest messages
 * leave and {@code coveredAfter} rises with them. A page {@code after} a cursor below {@code coveredAfter} comes from
 * the table. At most {@value #MAX_CHANNELS} channels keep a tail (the least recently used one goes), so the memory is
 * bounded by about {@code MAX_CHANNELS x MAX_CHARS} characters whatever the history holds. Retention deletes a
 * channel's oldest messages; its tail then lets go of every message up to the highest cursor deleted in the channel and
 * raises {@code coveredAfter} to it, so followers past that point are still answered from memory (dropping the tail
 * instead sent every follower of a busy channel to the table for good, since they read behind its newest messages).
 */
final class RecentChannels {
    static final int MAX_CHANNELS = 32;
    static final int MAX_MESSAGES = 8_192;
    static final long MAX_CHARS = 2_000_000;

    private final Map<String, Tail> tails = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tail> eldest) {
            return size() > MAX_CHANNELS;
        }
    };

    /** Whether {@code channel} has a tail now. */
    boolean has(String channel) {
        synchronized (tails) {
            return tails.containsKey(channel);
        }
    }

    /**
     * Notes a committed message; called by the writer thread, in cursor order. If the channel has no tail, one starts
     * at this message covering from {@code previous}, the cursor of the channel's newest message before it (0 if the
     * channel had none), or from just below it when {@code previous} is negative (not known).
     */
    void appended(Message m, long previous) {
        if (m.channel() == null || m.channel().isEmpty()) {
            return; // a direct message: read through inboxes, never by channel
        }
        Tail tail;
        synchronized (tails) {
            tail = tails.computeIfAbsent(m.channel(), k -> new Tail(previous >= 0 ? previous : m.cursor() - 1));
        }
        tail.add(m);
    }

    /**
     * Messages were deleted: for each channel, the highest cursor deleted in it. Each such channel's tail lets go of
     * every message up to it. Called by the writer thread once the delete has committed.
     */
    void deleted(Map<String, Long> highestByChannel) {
        highestByChannel.forEach((channel, cursor) -> {
            Tail tail;
            synchronized (tails) {
                tail = tails.get(channel);
            }
            if (tail != null) {
                tail.dropThrough(cursor);
            }
        });
    }

    /**
     * Up to {@code limit} messages of {@code channel} with cursors above {@code after}, in cursor order, if the tail
     * holds every such message; empty if the table must answer.
     */
    Optional<List<Message>> page(String channel, long after, int limit) {
        Tail tail;
        synchronized (tails) {
            tail = tails.get(channel);
        }
        return tail == null ? Optional.empty() : tail.page(after, limit);
    }

    /** One channel's newest messages, oldest first. */
    private static final class Tail {
        private final ArrayList<Message> messages = new ArrayList<>();
        /** Index of the oldest message still held; those before it have left and are removed in bulk. */
        private int first;

        private long coveredAfter;
        private long chars;

        Tail(long coveredAfter) {
            this.coveredAfter = coveredAfter;
        }

        synchronized void add(Message m) {
            messages.add(m);
            chars += m.footprint();
            while (messages.size() - first > MAX_MESSAGES || (chars > MAX_CHARS && messages.size() - first > 1)) {
                Message gone = messages.set(first++, null);
                chars -= gone.footprint();
                coveredAfter = gone.cursor();
            }
            compact();
        }

        /** Lets go of every message with a cursor up to {@code cursor}: a page after a lower one comes from the table. */
        synchronized void dropThrough(long cursor) {
            while (first < messages.size() && messages.get(first).cursor() <= cursor) {
                chars -= messages.set(first++, null).footprint();
            }
            coveredAfter = Math.max(coveredAfter, cursor);
            compact();
        }

        /** Removes the slots of messages that left, in bulk, once they are most of the list. */
        private void compact() {
            if (first > 1_024 && first > messages.size() / 2) {
                messages.subList(0, first).clear();
                first = 0;
            }
        }

        synchronized Optional<List<Message>> page(long after, int limit) {
            if (after < coveredAfter) {
                return Optional.empty();
            }
            int from = Message.firstAbove(messages, first, after);
            int to = Math.min(messages.size(), from + Math.max(0, limit));
            return Optional.of(
                    from >= to ? List.of() : Collections.unmodifiableList(new ArrayList<>(messages.subList(from, to))));
        }
    }
}
