package io.agenthub.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One clock for every hub node that shares a Redis: the local clock corrected by its offset from the Redis server's
 * {@code TIME}. The offset is measured a few times per refresh, keeping the sample with the shortest round trip and
 * assuming the server read its clock half-way through it, so two nodes agree to within about half a round trip
 * however far their own clocks are apart. Between refreshes the local clock's rate carries it forward.
 *
 * <p>Readings never go backwards, also when a refresh lowers the offset: the clock then stands still until it catches
 * up. If Redis cannot be reached, the last offset stays in force.
 */
public final class RedisClock implements InstantSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClock.class);
    /** Round trips per refresh; the shortest one wins. */
    static final int SAMPLES = 5;

    private final InstantSource local;
    private final Supplier<Instant> serverTime;
    private final AtomicLong offsetMicros = new AtomicLong();
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);
    private final ScheduledExecutorService refresher;
    private volatile boolean warned;

    /**
     * Measures the offset once and then every {@code refresh}.
     *
     * @param serverTime reads the server's clock (Redis {@code TIME})
     */
    RedisClock(InstantSource local, Supplier<Instant> serverTime, Duration refresh) {
        this.local = local;
        this.serverTime = serverTime;
        sync();
        refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("hub-redis-clock").daemon().factory());
        long every = refresh.toMillis();
        refresher.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes {@link #SAMPLES} readings of the server's clock and adopts the offset of the quickest. */
    void sync() {
        long bestRtt = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long before = System.nanoTime();
            long localMicros = micros(local.instant());
            long server = micros(serverTime.get());
            long rtt = System.nanoTime() - before;
            if (rtt < bestRtt) {
                bestRtt = rtt;
                bestOffset = server - (localMicros + rtt / 2_000);
            }
        }
        offsetMicros.set(bestOffset);
        warned = false;
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot read the Redis clock; keeping the last offset: {}", e.getMessage());
            }
        }
    }

    /** The current offset from the local clock to the server's, for logs and tests. */
    Duration offset() {
        return Duration.of(offsetMicros.get(), java.time.temporal.ChronoUnit.MICROS);
    }

    @Override
    public Instant instant() {
        long now = micros(local.instant()) + offsetMicros.get();
        long t = lastMicros.accumulateAndGet(now, Math::max);
        return Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000), Math.floorMod(t, 1_000_000) * 1_000L);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000), t.getNano() / 1_000);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
