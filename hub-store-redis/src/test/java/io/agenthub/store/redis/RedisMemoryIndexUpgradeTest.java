package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryQuota;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Entries indexed by the code before stemming and fingerprints are reindexed when the store opens. */
class RedisMemoryIndexUpgradeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private static void withRedis(Consumer<RedisCommands<String, String>> action) {
        RedisClient client = RedisClient.create(LocalRedisServer.shared().url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            action.accept(c.sync());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void entries_indexed_before_stemming_are_found_by_other_word_forms_merge_and_decay_after_reopening() {
        RedisStores stores = RedisFixture.fresh();
        Memory old = Memory.fresh("mem-old", Memory.Category.LEARNING, "Tokens caching", List.of(), "alice", T0);
        stores.memories().add(old);
        String p = stores.prefix();
        // What the older code left: unstemmed postings, no fingerprint, no decay list, no index version.
        withRedis(c -> {
            String entry = p + "{mem}:e:000000000001";
            for (String w : c.hget(entry, "words").split(" ")) {
                c.del(p + "{mem}:w:" + w);
                c.zrem(p + "{mem}:words", w);
            }
            c.hset(p + "{mem}:w:tokens", "000000000001", "1");
            c.hset(p + "{mem}:w:caching", "000000000001", "1");
            c.zadd(p + "{mem}:words", 0, "tokens");
            c.zadd(p + "{mem}:words", 0, "caching");
            c.hset(entry, "words", "tokens caching");
            c.hdel(entry, "fp", "count", "authors", "updated");
            c.del(p + "{mem}:fps", p + "{mem}:unrecalled");
            c.hdel(p + "{mem}:stats", "v");
        });

        RedisStores reopened = RedisFixture.reopen(stores);
        try {
            assertThat(reopened.memories().search("cached token", List.of(), null, 10))
                    .extracting(Memory::id)
                    .containsExactly("mem-old");
            assertThat(reopened.memories().search("caching", List.of(), null, 10))
                    .extracting(Memory::id)
                    .containsExactly("mem-old");
            assertThat(reopened.memories()
                            .add(Memory.fresh(
                                    "mem-new", Memory.Category.LEARNING, "token cached", List.of(), "bob", T0))
                            .orElseThrow()
                            .merged())
                    .as("the old entry has its fingerprint")
                    .isTrue();
            assertThat(reopened.memories().decay(T0.plus(Duration.ofDays(1)), 10, T0.plus(Duration.ofDays(40))))
                    .as("the old entry is listed for decay")
                    .containsExactly("mem-old");
        } finally {
            reopened.close();
        }
    }

    @Test
    void entries_written_before_memory_quotas_count_against_their_author_after_reopening() {
        RedisStores stores = RedisFixture.fresh();
        stores.memories().add(Memory.fresh("q-1", Memory.Category.LEARNING, "first", List.of(), "alice", T0));
        stores.memories().add(Memory.fresh("q-2", Memory.Category.LEARNING, "second", List.of(), "alice", T0));
        String p = stores.prefix();
        // What the code before quotas left: no usage hash, no byte count on the entries, index version 2.
        withRedis(c -> {
            c.del(p + "{mem}:by:alice");
            c.hdel(p + "{mem}:e:000000000001", "bytes");
            c.hdel(p + "{mem}:e:000000000002", "bytes");
            c.hset(p + "{mem}:stats", "v", "2");
        });

        RedisStores reopened = RedisFixture.reopen(stores);
        RedisStores again = null;
        try {
            MemoryQuota two = new MemoryQuota(2, 0);
            assertThatThrownBy(() -> reopened.memories()
                            .add(Memory.fresh("q-3", Memory.Category.LEARNING, "third", List.of(), "alice", T0), two))
                    .as("both old entries count")
                    .isInstanceOf(HubException.Conflict.class);
            // The upgrade again, as a second node opening the store at the same time would run it.
            withRedis(c -> c.hset(p + "{mem}:stats", "v", "2"));
            again = RedisFixture.reopen(reopened);
            assertThat(again.memories().delete("q-1", "alice", T0)).isTrue();
            assertThat(again.memories()
                            .add(Memory.fresh("q-3", Memory.Category.LEARNING, "third", List.of(), "alice", T0), two))
                    .as("counted once, however often the store is opened; forgetting frees the space")
                    .isPresent();
        } finally {
            (again == null ? reopened : again).close();
        }
    }
}
