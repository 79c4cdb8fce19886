package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.agenthub.message.LocalMessageSignal;
import io.agenthub.message.MessageSignal;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageSignal} across hub nodes: every append publishes its cursor on one Redis pub/sub channel, and every
 * node subscribes, raises its local high-water mark and wakes its waiters. Pub/sub delivers at most once, so whenever
 * the subscription is (re)established the node also reads the store's latest cursor: messages appended while it was
 * cut off still wake its waiters. Waiters re-read the store after waking, so a lost or duplicate signal costs at most a
 * late or an extra read, never a lost message.
 */
final class RedisMessageSignal implements MessageSignal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisMessageSignal.class);

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
        raise(cursor);
        try {
            redis.call("publish", c -> c.publish(channel, Long.toString(cursor)));
        } catch (HubException.Unavailable e) {
            // The message is stored; other nodes catch up when their subscription returns, or with the next message.
            LOG.warn("Could not announce message cursor {} to other hub nodes: {}", cursor, e.getMessage());
        }
    }

    @Override
    public long await(long after, Duration timeout) throws InterruptedException {
        return local.await(after, timeout);
    }

    private void raise(long cursor) {
        known.accumulateAndGet(cursor, Math::max);
        local.publish(cursor);
    }

    /** The highest message cursor this node has been told of, without waiting. */
    long known() {
        return known.get();
    }

    private void received(String cursor) {
        try {
            raise(Long.parseLong(cursor));
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring a malformed cursor on {}: {}", channel, cursor);
        }
    }

    private void catchUp() {
        try {
            raise(latestCursor.getAsLong());
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
