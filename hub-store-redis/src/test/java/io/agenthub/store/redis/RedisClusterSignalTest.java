package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.message.Message;
import io.agenthub.message.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On a Redis Cluster too, an append on one node wakes a waiter on another (pub/sub spans the cluster). */
class RedisClusterSignalTest {
    @Test
    void an_append_on_one_hub_node_wakes_a_waiter_on_another_through_the_cluster() throws Exception {
        try (RedisStores a = RedisClusterFixture.fresh();
                RedisStores b = RedisStores.open(LocalRedisCluster.shared().url(), a.prefix(), RedisFixture.TIMEOUT)) {
            for (int i = 0; i < 10; i++) {
                long after = b.messages().latestCursor();
                CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return b.messageSignal().await(after, Duration.ofSeconds(10));
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        r -> Thread.ofVirtual().start(r));
                Thread.sleep(20);
                Message m = a.messages()
                        .append(NewMessage.chat("general", "alice", "hi " + i, "", List.of(), Instant.now()));
                a.messageSignal().publish(m.cursor());
                assertThat(waiting.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(m.cursor());
            }
        }
    }
}
