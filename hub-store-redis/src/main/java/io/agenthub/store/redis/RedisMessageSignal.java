package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.agenthub.message.LocalMessageSignal;
import io.agenthub.message.MessageSignal;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageSignal} across hub nodes: every append publishes its cursor and its topics on one Redis pub/sub
 * channel, and every node subscribes, raises its local high-water mark and wakes the waiters of those topics. Pub/sub
 * delivers at most once, so whenever the subscription is (re)established the node also reads the store's latest
 * cursor and announces it to everyone: messages appended while it was cut off still wake its waiters. Waiters re-read
 * the store after waking, so a lost or duplicate signal costs at most a late or an extra read, never a lost message.
 */
final class RedisMessageSignal implements MessageSignal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisMessageSignal.class);
    /** Most topics an announcement names; a message that concerns more is announced to everyone. */
    static final int MAX_TOPICS = 64;

    private final RedisLink redis;
    private final String channel;
    private final LongSupplier latestCursor;
    private final LocalMessageSignal local;
    private final AtomicLong known = new AtomicLong();
    private final StatefulRedisPubSubConnection<String, String> subscription;

    RedisMessageSignal(RedisLink redis, String channel, LongSupplier latestCursor) {
        this.redis = redis;
        this.channel = channel;
        this.latestCursor = latestCursor;
        long start = latestCursor.getAsLong();
        this.local = new LocalMessageSignal(start);
        known.set(start);
        // Catching up is a store read: not on the client's I/O thread.
        this.subscription = redis.subscribe(
                channel,
                this::received,
                () -> Thread.ofVirtual().name("hub-signal-catch-up").start(this::catchUp));
    }

    @Override
    public void publish(long cursor) {
        publish(cursor, null);
    }

    @Override
    public void publish(long cursor, Set<String> topics) {
        raise(cursor, topics);
        try {
            redis.call("publish", c -> c.publish(channel, announcement(cursor, topics)));
        } catch (HubException.Unavailable e) {
            // The message is stored; other nodes catch up when their subscription returns, or with the next message.
            LOG.warn("Could not announce message cursor {} to other hub nodes: {}", cursor, e.getMessage());
        }
    }

    @Override
    public long await(long after, Duration timeout) throws InterruptedException {
        return local.await(after, timeout);
    }

    @Override
    public long await(long after, Set<String> topics, Duration timeout) throws InterruptedException {
        return local.await(after, topics, timeout);
    }

    /**
     * What goes on the channel: the cursor, then one topic a line. A message with more than {@value #MAX_TOPICS}
     * topics (a mention of many agents) is announced to everyone instead, as a bare cursor is.
     */
    static String announcement(long cursor, Set<String> topics) {
        if (topics == null || topics.isEmpty() || topics.size() > MAX_TOPICS) {
            return Long.toString(cursor);
        }
        return cursor + "\n" + String.join("\n", topics);
    }

    private void raise(long cursor, Set<String> topics) {
        known.accumulateAndGet(cursor, Math::max);
        local.publish(cursor, topics);
    }

    /** The highest message cursor this node has been told of, without waiting. */
    long known() {
        return known.get();
    }

    private void received(String announcement) {
        String[] lines = announcement.split("\n");
        try {
            long cursor = Long.parseLong(lines[0]);
            raise(
                    cursor,
                    lines.length == 1 ? null : Set.copyOf(Arrays.asList(lines).subList(1, lines.length)));
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring a malformed announcement on {}: {}", channel, announcement);
        }
    }

    private void catchUp() {
        try {
            raise(latestCursor.getAsLong(), null);
        } catch (HubException.Unavailable e) {
            LOG.debug("Catching up with the latest message cursor failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the subscription failed", e);
        }
    }
}
