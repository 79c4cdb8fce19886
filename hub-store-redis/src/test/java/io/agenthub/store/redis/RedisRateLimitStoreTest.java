package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.ratelimit.Rate;
import io.agenthub.store.Stores;
import io.agenthub.tck.RateLimitStoreContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
}
