package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.Stores;
import io.agenthub.tck.TraceStoreContract;
import io.agenthub.trace.TraceEntry;
import io.agenthub.trace.TraceStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Trimming by count cuts a short prefix from each of many long trails. It used to read up to 500 of each trail's
     * oldest members to find where the cut falls (a 1,000-agent soak spent 400–670 ms of Redis time per step once
     * the cap was reached); a binary search over ranks reads about ten members per trail.
     */
    @Test
    void trimming_a_few_entries_from_many_long_trails_reads_a_handful_of_members_per_trail() {
        TraceStore traces = stores.traces();
        Instant t0 = clock.instant();
        int agents = 400;
        int perAgent = 600;
        for (int round = 0; round < perAgent; round += 10) {
            List<TraceEntry> batch = new ArrayList<>();
            for (int k = round; k < round + 10; k++) {
                for (int a = 0; a < agents; a++) {
                    batch.add(new TraceEntry(
                            0, "agent-" + a, t0.plusMillis(k), "call", "POST /api/leases", "src/file-" + k, "200", 3));
                }
            }
            traces.append(batch);
        }
        LocalRedisServer redis = LocalRedisServer.shared();
        long before = redis.micros("evalsha", "eval");
        // The oldest round goes: one entry from each trail.
        assertThat(traces.trimTo((long) agents * (perAgent - 1))).isEqualTo(agents);
        long spent = redis.micros("evalsha", "eval") - before;
        assertThat(traces.list("agent-7", t0, 1))
                .extracting(TraceEntry::subject)
                .containsExactly("src/file-1");
        // Reading up to 500 of the oldest members of each of 400 trails took 103 ms here; the search took 15 ms.
        assertThat(spent).as("microseconds of Redis time to trim").isLessThan(50_000);
    }
}
