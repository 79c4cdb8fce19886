package io.agenthub.store.redis;

import io.agenthub.error.HubException;
import io.agenthub.store.ChangeSignal;
import io.agenthub.store.LocalChangeSignal;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChangeSignal} across hub nodes over one Redis pub/sub channel. This node's listeners hear an announcement at
 * once; other nodes hear it through the channel, where announcements are batched: at most one {@code PUBLISH} every
 * {@link #BATCH} per node however busy it is, carrying every topic announced meanwhile. A message names its node, so
 * that a node ignores its own. Whenever the subscription is (re)established, listeners hear
 * {@link ChangeSignal#EVERYTHING}: announcements sent while it was cut off are lost.
 */
final class RedisChangeSignal implements ChangeSignal, AutoCloseable {
    /** How long announcements gather before they are published together. */
    static final Duration BATCH = Duration.ofMillis(25);

    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeSignal.class);

    private final RedisLink redis;
    private final String channel;
    private final String node = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    private final LocalChangeSignal local = new LocalChangeSignal();
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean flushing;

    RedisChangeSignal(RedisLink redis, String channel) {
        this.redis = redis;
        this.channel = channel;
        this.subscription = redis.subscribe(channel, this::received, () -> local.publish(Set.of(EVERYTHING)));
    }

    @Override
    public void publish(Set<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        local.publish(topics);
        synchronized (pending) {
            pending.addAll(topics);
            if (flushing) {
                return;
            }
            flushing = true;
        }
        Thread.ofVirtual().name("hub-change-signal").start(this::flush);
    }

    private void flush() {
        try {
            Thread.sleep(BATCH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text;
        synchronized (pending) {
            text = node + " " + String.join(",", pending);
            pending.clear();
            flushing = false;
        }
        try {
            redis.call("publish", c -> c.publish(channel, text));
        } catch (HubException.Unavailable e) {
            // Other nodes hear everything once their subscription returns, or catch up at their next refresh.
            LOG.debug("Could not announce changes to other hub nodes: {}", e.getMessage());
        }
    }

    private void received(String text) {
        int space = text.indexOf(' ');
        if (space < 0 || text.substring(0, space).equals(node)) {
            return;
        }
        local.publish(
                new LinkedHashSet<>(Arrays.asList(text.substring(space + 1).split(","))));
    }

    @Override
    public void listen(Consumer<Set<String>> listener) {
        local.listen(listener);
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
