package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ratelimit.Rate;
import io.agenthub.store.Stores;
import io.agenthub.tck.RateLimitStoreContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RedisRateLimitStoreTest extends RateLimitStoreContract {
    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }

    @Test
    void a_bucket_is_one_key_that_expires_once_it_would_be_full_again() {
        stores.rateLimits().take("chat:a:alice", new Rate(60, 5), clock.instant());
        String key = ((RedisStores) stores).prefix() + "rate:chat:a:alice";
        RedisClient client = RedisClient.create(LocalRedisServer.shared().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            // One token taken at one a second: full again after 1 s, plus the script's second of slack.
            assertThat(c.sync().pttl(key)).isBetween(1L, 2_000L);
            assertThat(c.sync().hgetall(key)).containsKeys("t", "at");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void a_busy_caller_costs_a_script_call_per_batch_and_gets_exactly_the_burst() {
        Rate writes = new Rate(600, 200); // batches of up to 10
        Instant now = clock.instant();
        long before = LocalRedisServer.shared().calls("evalsha", "eval");
        int admitted = 0;
        for (int i = 0; i < 200; i++) {
            if (stores.rateLimits().take("writes:a:busy", writes, now).isZero()) {
                admitted++;
            }
        }
        long scripts = LocalRedisServer.shared().calls("evalsha", "eval") - before;
        assertThat(admitted).isEqualTo(200);
        // Batches of 1, 2, 4, 8, then 10: 23 calls for 200 tokens (one a request before).
        assertThat(scripts).isLessThanOrEqualTo(30);
        assertThat(stores.rateLimits().take("writes:a:busy", writes, now)).isPositive();
    }

    @Test
    void two_nodes_taking_in_batches_never_admit_more_than_the_bucket_holds() throws Exception {
        Rate rate = new Rate(6_000, 160); // batches of up to 20
        Instant now = clock.instant();
        RedisStores other = RedisStores.open(
                LocalRedisServer.shared().url(), ((RedisStores) stores).prefix(), RedisFixture.TIMEOUT);
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Stores node = t % 2 == 0 ? stores : other;
                calls.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        if (node.rateLimits().take("writes:a:shared", rate, now).isZero()) {
                            admitted.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            // Whatever a node still holds is spent by its next calls at the same instant.
            for (Stores node : List.of(stores, other)) {
                for (int i = 0; i < 200; i++) {
                    if (node.rateLimits().take("writes:a:shared", rate, now).isZero()) {
                        admitted.incrementAndGet();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            other.close();
        }
        assertThat(admitted).hasValue(160);
        // A second later the bucket has refilled 100 tokens; credits of the earlier instant have lapsed.
        assertThat(stores.rateLimits().take("writes:a:shared", rate, now.plus(Duration.ofSeconds(1))))
                .isZero();
    }

    @Test
    void callers_arriving_together_on_two_nodes_are_all_admitted_within_the_burst() throws Exception {
        // Two nodes, 100 calls each at once, bursts of 300 in batches of up to 10: the 200 calls fit the burst with 100
        // to spare, more than one batch per node, so none may be refused for tokens a node took ahead and did not use.
        Rate writes = new Rate(600, 300);
        RedisStores other = RedisStores.open(
                LocalRedisServer.shared().url(), ((RedisStores) stores).prefix(), RedisFixture.TIMEOUT);
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (Stores node : List.of(stores, other)) {
                for (int i = 0; i < 50; i++) {
                    calls.add(pool.submit(() -> {
                        if (!node.rateLimits()
                                .take("writes:a:together", writes, clock.instant())
                                .isZero()) {
                            refused.incrementAndGet();
                        }
                    }));
                }
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            other.close();
        }
        assertThat(refused).hasValue(0);
    }
}
