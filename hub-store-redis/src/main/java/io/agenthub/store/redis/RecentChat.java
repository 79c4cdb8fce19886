package io.agenthub.store.redis;

import io.agenthub.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * This node's copy of the newest messages of the channels it serves, so that reading a channel's recent messages is
 * answered from memory instead of a Redis script. The copy of a channel holds every message of the channel with a
 * cursor in {@code (floor, upTo]}, at most {@link #PER_CHANNEL} of them, oldest first.
 *
 * <p>It is kept fresh by the message signal: every append on any node publishes its cursor, and this node's signal
 * knows the highest one. A read first compares it with {@code upTo}; when a later cursor is known, or the copy is
 * older than {@link #MAX_AGE} (a signal lost while the subscription was down), it fetches only the messages after
 * {@code upTo} (one range read) before answering. Messages get their cursors in the same Redis script that indexes them, so once
 * cursor {@code k} is known every message up to {@code k} is readable, and {@code upTo} can be raised to it. A message
 * posted on another node is therefore seen here as soon as its signal arrives, and at most {@link #MAX_AGE} later if
 * the signal is lost. Reads below {@code floor} go to Redis. Readers of one channel share one refresh.
 *
 * <p>A copy starts with the channel's newest {@link #FETCH} messages and grows with every refresh, so that readers who
 * follow a busy channel some way behind its newest message (a page of 50 every few seconds while hundreds arrive) are
 * answered here too. Bounded: at most {@link #CHANNELS} channels (least recently read dropped), each at most {@link
 * #PER_CHANNEL} messages and {@link #MAX_CHARS} characters (its oldest leave first, and {@code floor} rises with them).
 * One Redis read brings at most {@link #FETCH} messages.
 */
final class RecentChat {
    static final int PER_CHANNEL = 8_192;
    static final long MAX_CHARS = 2_000_000;
    static final int FETCH = 500;
    static final int CHANNELS = 32;
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** Reads of Redis that the copy needs: the channel's messages after a cursor, and its newest ones. */
    interface Source {
        List<Message> after(String channel, long after, int limit);

        List<Message> newest(String channel, int limit);
    }

    private static final ToLongFunction<Message> CURSOR = Message::cursor;

    private final Source source;
    private final LongSupplier known;
    /** The highest cursor of a message appended through this node's store, known before its signal is published. */
    private final AtomicLong appended = new AtomicLong();

    private final LongSupplier nanoTime;
    private final Map<String, Copy> channels = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Copy> eldest) {
            return size() > CHANNELS;
        }
    };

    /**
     * @param known the highest message cursor this node has been told of (its message signal)
     * @param nanoTime a monotonic clock, for the copy's age
     */
    RecentChat(Source source, LongSupplier known, LongSupplier nanoTime) {
        this.source = source;
        this.known = known;
        this.nanoTime = nanoTime;
    }

    /** The channel's messages with cursor {@code > after}, oldest first, at most {@code limit}. */
    List<Message> after(String channel, long after, int limit) {
        Copy copy;
        synchronized (channels) {
            copy = channels.computeIfAbsent(channel, c -> new Copy());
        }
        long arrived = copy.refreshes;
        List<Message> kept;
        synchronized (copy) {
            // A refresh that began after this reader arrived read every message known then: a reader that waited
            // for it takes its result instead of reading again, so readers queued behind one refresh cost no more.
            if (copy.refreshes == arrived || after > copy.upTo) {
                copy.refresh(channel, after);
            }
            if (after < copy.floor) {
                kept = null;
            } else {
                kept = copy.messages;
            }
        }
        if (kept == null) {
            // Older than the copy: Redis, outside the copy's lock.
            return source.after(channel, after, limit);
        }
        int from = Message.firstAbove(kept, 0, after);
        return new ArrayList<>(kept.subList(from, Math.min(kept.size(), from + Math.max(0, limit))));
    }

    /** A message was appended through this node: reads here see it at once. */
    void appended(long cursor) {
        appended.accumulateAndGet(cursor, Math::max);
    }

    /**
     * A purge through this node deleted messages: for each channel, the highest cursor deleted in it. The channel's
     * copy lets go of every message up to it and raises its floor there, so that readers past it are still answered
     * here (forgetting the copy instead sent every reader behind a busy channel's newest messages to Redis for good,
     * since a new copy starts at the newest {@value #FETCH}).
     */
    void deleted(Map<String, Long> highestByChannel) {
        highestByChannel.forEach((channel, cursor) -> {
            Copy copy;
            synchronized (channels) {
                copy = channels.get(channel);
            }
            if (copy != null) {
                synchronized (copy) {
                    copy.dropThrough(cursor);
                }
            }
        });
    }

    private final class Copy {
        private long floor = Long.MAX_VALUE;
        private long upTo = -1;
        private long fetchedAt;
        /** Refreshes begun: a reader that saw a later one begin while it waited takes that one's result. */
        private volatile long refreshes;

        private List<Message> messages = List.of();
        /** The characters of {@link #messages} ({@link Message#footprint}). */
        private long chars;

        /**
         * Brings the copy up to the latest cursor this node knows, and past {@code after} when a reader knows of a
         * later message (read on another node) than the copy; the caller holds the copy's lock.
         */
        void refresh(String channel, long after) {
            refreshes++;
            long now = nanoTime.getAsLong();
            long latest = Math.max(known.getAsLong(), appended.get());
            if (upTo >= 0 && latest <= upTo && after <= upTo && now - fetchedAt < MAX_AGE.toNanos()) {
                return;
            }
            if (upTo < 0) {
                reload(channel, latest, now);
                return;
            }
            List<Message> added = source.after(channel, upTo, FETCH);
            if (added.size() == FETCH) {
                reload(channel, latest, now);
                return;
            }
            List<Message> all = new ArrayList<>(messages.size() + added.size());
            all.addAll(messages);
            all.addAll(added);
            set(all, false, false, latest, now);
        }

        /** Lets go of the messages with a cursor up to {@code cursor}; the caller holds the copy's lock. */
        void dropThrough(long cursor) {
            if (upTo < 0) {
                return; // never loaded: the first read loads what Redis holds then
            }
            int from = Message.firstAbove(messages, 0, cursor);
            for (int i = 0; i < from; i++) {
                chars -= messages.get(i).footprint();
            }
            messages = List.copyOf(messages.subList(from, messages.size()));
            floor = Math.max(floor, cursor);
        }

        private void reload(String channel, long latest, long now) {
            List<Message> newest = source.newest(channel, FETCH);
            set(newest, true, newest.size() < FETCH, latest, now);
        }

        /**
         * @param reset the list replaces the copy (else it is the copy with newer messages appended)
         * @param whole the list is the whole channel
         * @param latest the highest cursor known before the read: every message up to it was in the read
         */
        private void set(List<Message> all, boolean reset, boolean whole, long latest, long now) {
            long total = reset ? 0 : chars;
            for (int i = reset ? 0 : messages.size(); i < all.size(); i++) {
                total += all.get(i).footprint();
            }
            int drop = Math.max(0, all.size() - PER_CHANNEL);
            for (int i = 0; i < drop; i++) {
                total -= all.get(i).footprint();
            }
            while (total > MAX_CHARS && all.size() - drop > 1) {
                total -= all.get(drop++).footprint();
            }
            chars = total;
            List<Message> kept = List.copyOf(all.subList(drop, all.size()));
            if (drop > 0) {
                floor = CURSOR.applyAsLong(all.get(drop - 1));
            } else if (reset) {
                floor = whole || kept.isEmpty() ? 0 : kept.getFirst().cursor() - 1;
            }
            long last = kept.isEmpty() ? 0 : kept.getLast().cursor();
            upTo = Math.max(Math.max(upTo, latest), last);
            messages = kept;
            fetchedAt = now;
        }
    }
}
