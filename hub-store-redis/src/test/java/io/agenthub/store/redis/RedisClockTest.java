package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One clock for every node: nodes whose own clocks are seconds apart read the same time from Redis. */
class RedisClockTest {
    @Test
    void two_nodes_with_clocks_eleven_seconds_apart_agree_within_a_few_milliseconds() {
        try (RedisStores nodeA = RedisFixture.fresh();
                RedisStores nodeB =
                        RedisStores.open(LocalRedisServer.shared().url(), nodeA.prefix(), RedisFixture.TIMEOUT)) {
            InstantSource ahead = nodeA.clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(7)));
            InstantSource behind = nodeB.clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-4)));
            for (int i = 0; i < 50; i++) {
                Instant a = ahead.instant();
                Instant b = behind.instant();
                Instant a2 = ahead.instant();
                assertThat(b).isBetween(a.minusMillis(5), a2.plusMillis(5));
            }
            assertThat(Duration.between(Instant.now(), ahead.instant()).abs())
                    .as("the shared clock is the server's, and the server runs on this machine")
                    .isLessThan(Duration.ofMillis(50));
        }
    }

    @Test
    void readings_never_go_backwards_when_a_new_measurement_lowers_the_offset() {
        MutableClock local = MutableClock.atSomeFixedTime();
        AtomicReference<Duration> serverAhead = new AtomicReference<>(Duration.ofSeconds(10));
        try (RedisClock clock =
                new RedisClock(local, () -> local.instant().plus(serverAhead.get()), Duration.ofHours(1))) {
            Instant first = clock.instant();
            assertThat(first).isEqualTo(local.instant().plusSeconds(10));

            serverAhead.set(Duration.ofSeconds(5));
            clock.sync();
            assertThat(clock.offset()).isEqualTo(Duration.ofSeconds(5));
            assertThat(clock.instant()).as("stands still rather than jump back").isEqualTo(first);
            local.advance(Duration.ofSeconds(6));
            assertThat(clock.instant()).isEqualTo(first.plusSeconds(1));
        }
    }
}
