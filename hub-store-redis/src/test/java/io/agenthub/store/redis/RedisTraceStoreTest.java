package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.Stores;
import io.agenthub.tck.TraceStoreContract;
import io.agenthub.trace.TraceEntry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RedisTraceStoreTest extends TraceStoreContract {
    @Override
    protected Stores openStores() {
        return RedisFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return RedisFixture.reopen(old);
    }

    @Test
    void reads_entries_stored_in_the_earlier_member_format() {
        RedisKeys keys = new RedisKeys(((RedisStores) stores).prefix());
        Instant at = Instant.ofEpochMilli(clock.instant().toEpochMilli());
        // Before entries were stored without their agent and time, a member held the whole entry.
        String member = String.format("%020d", 7) + "|{\"seq\":0,\"agentId\":\"old\",\"at\":\"" + at
                + "\",\"kind\":\"lease\",\"action\":\"acquire\",\"subject\":\"src/a\",\"outcome\":\"granted\","
                + "\"millis\":4}";
        RedisClient client = RedisClient.create(LocalRedisServer.shared().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().zadd(keys.trace("old"), at.toEpochMilli(), member);
            c.sync().sadd(keys.traceAgents(), "old");
        } finally {
            client.shutdown();
        }
        assertThat(stores.traces().list("old", at, 10))
                .containsExactly(new TraceEntry(7, "old", at, "lease", "acquire", "src/a", "granted", 4));
    }
}
