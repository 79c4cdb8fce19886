package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.Presence;
import io.agenthub.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's touches reach Redis as one script per interval, not one per touch. */
class RedisAgentTouchesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    /** Scripts the server has run (EVALSHA and EVAL calls). */
    private static long scripts() {
        return LocalRedisServer.shared().calls("evalsha", "eval");
    }

    private static Agent agent(String id) {
        return Agent.fresh(id, id, Role.AGENT, List.of(), Map.of(), T0);
    }

    @Test
    void touches_of_many_agents_are_written_in_one_script_and_seen_by_other_nodes() {
        RedisStores node = RedisFixture.fresh();
        RedisStores other = RedisStores.open(LocalRedisServer.shared().url(), node.prefix(), RedisFixture.TIMEOUT);
        try {
            for (int i = 0; i < 200; i++) {
                node.agents().create(agent("a" + i));
            }
            long before = scripts();
            for (int i = 0; i < 200; i++) {
                node.agents().touch("a" + i, T0.plusSeconds(60));
                node.agents().touch("a" + i, T0.plusSeconds(30));
            }
            ((RedisAgentStore) node.agents()).writeTouches();
            assertThat(scripts() - before)
                    .as("scripts for 400 touches of 200 agents")
                    .isEqualTo(1);

            Agent seen = other.agents().find("a199").orElseThrow();
            assertThat(seen.lastSeen()).isEqualTo(T0.plusSeconds(60));
            assertThat(seen.presence()).isEqualTo(Presence.ONLINE);
        } finally {
            other.close();
            node.close();
        }
    }

    @Test
    void a_touch_written_late_does_not_bring_back_an_agent_seen_later_and_gone_quiet() {
        RedisStores node = RedisFixture.fresh();
        try {
            node.agents().create(agent("a1"));
            node.agents().touch("a1", T0.plusSeconds(60));
            Agent seen = node.agents().find("a1").orElseThrow();
            assertThat(node.agents()
                            .transition("a1", Presence.ONLINE, seen.lastSeen(), Presence.OFFLINE, T0.plusSeconds(600)))
                    .isTrue();
            node.agents().touch("a1", T0.plusSeconds(30));
            Agent after = node.agents().find("a1").orElseThrow();
            assertThat(after.presence()).isEqualTo(Presence.OFFLINE);
            assertThat(after.lastSeen()).isEqualTo(T0.plusSeconds(60));
        } finally {
            node.close();
        }
    }

    @Test
    void the_interval_writer_writes_touches_without_a_read_on_the_node() throws InterruptedException {
        RedisStores node = RedisFixture.fresh();
        RedisStores other = RedisStores.open(LocalRedisServer.shared().url(), node.prefix(), RedisFixture.TIMEOUT);
        try {
            node.agents().create(agent("a1"));
            node.agents().touch("a1", T0.plusSeconds(60));
            long deadline = System.nanoTime() + 20 * RedisAgentStore.TOUCH_FLUSH_EVERY.toNanos();
            while (other.agents().find("a1").orElseThrow().presence() != Presence.ONLINE
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(other.agents().find("a1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(60));
        } finally {
            other.close();
            node.close();
        }
    }
}
