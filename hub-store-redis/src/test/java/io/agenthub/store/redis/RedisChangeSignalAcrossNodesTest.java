package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.ChangeSignal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The change signal spans nodes: what one node announces, another hears, batched, within a fraction of a second. */
class RedisChangeSignalAcrossNodesTest {
    private static LocalRedisServer server;

    @BeforeAll
    static void start() {
        server = LocalRedisServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_announcement_on_one_node_is_heard_on_another_and_not_in_another_namespace() throws Exception {
        String prefix = server.freshPrefix();
        try (RedisStores a = RedisStores.open(server.url(), prefix, RedisFixture.TIMEOUT);
                RedisStores b = RedisStores.open(server.url(), prefix, RedisFixture.TIMEOUT);
                RedisStores elsewhere = RedisStores.open(server.url(), server.freshPrefix(), RedisFixture.TIMEOUT)) {
            List<String> heard = new CopyOnWriteArrayList<>();
            List<String> stray = new CopyOnWriteArrayList<>();
            b.changeSignal().listen(topics -> {
                if (!topics.contains(ChangeSignal.EVERYTHING)) {
                    heard.addAll(topics);
                }
            });
            elsewhere.changeSignal().listen(topics -> {
                if (!topics.contains(ChangeSignal.EVERYTHING)) {
                    stray.addAll(topics);
                }
            });
            a.changeSignal().publish(Set.of("leases"));
            a.changeSignal().publish(Set.of("agents", "overview"));
            long until = System.nanoTime() + 5_000_000_000L;
            while (!heard.containsAll(Set.of("leases", "agents", "overview")) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(heard).containsExactlyInAnyOrder("leases", "agents", "overview");
            assertThat(stray).isEmpty();
        }
    }
}
