package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Storage quotas per agent: past one, a 4xx names the quota and how to free space. */
class QuotaApiTest {
    private static TestHub.Response remember(TestHub hub, String token, String content) {
        return hub.post(token, "/api/memories", Map.of("category", "learning", "content", content, "tags", List.of()));
    }

    @Test
    void past_its_memory_quota_an_agent_gets_409_naming_the_quota_until_it_forgets_an_entry() throws Exception {
        try (TestHub hub = new TestHub(Map.of("memory-quota-entries", "3"), Clock.systemUTC())) {
            String alice = hub.agent("alice");
            String first = remember(hub, alice, "one").json().path("id").asString();
            assertThat(remember(hub, alice, "two").status()).isEqualTo(201);
            assertThat(remember(hub, alice, "three").status()).isEqualTo(201);
            TestHub.Response refused = remember(hub, alice, "four");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("code").asString()).isEqualTo("quota_exceeded");
            assertThat(refused.json().path("detail").asString())
                    .contains("memory-quota-entries (3 entries)", "DELETE /api/memories/{id}");
            assertThat(remember(hub, hub.agent("bob"), "mine").status())
                    .as("bob's own quota")
                    .isEqualTo(201);

            assertThat(hub.delete(alice, "/api/memories/" + first).status()).isLessThan(300);
            assertThat(remember(hub, alice, "four").status()).isEqualTo(201);
        }
    }

    @Test
    void a_memory_byte_quota_counts_content_bytes() throws Exception {
        try (TestHub hub = new TestHub(Map.of("memory-quota-bytes", "100"), Clock.systemUTC())) {
            String alice = hub.agent("alice");
            assertThat(remember(hub, alice, "x".repeat(90)).status()).isEqualTo(201);
            TestHub.Response refused = remember(hub, alice, "y".repeat(20));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("detail").asString()).contains("memory-quota-bytes (100 bytes");
        }
    }

    @Test
    void a_checkpoint_past_checkpoint_max_bytes_gets_413_naming_the_quota() throws Exception {
        try (TestHub hub = new TestHub(Map.of("checkpoint-max-bytes", "1000"), Clock.systemUTC())) {
            String alice = hub.agent("alice");
            assertThat(hub.post(alice, "/api/checkpoints", Map.of("currentTask", "t", "context", "c".repeat(900)))
                            .status())
                    .isEqualTo(201);
            TestHub.Response refused = hub.post(
                    alice,
                    "/api/checkpoints",
                    Map.of("currentTask", "t", "context", "c".repeat(900), "pendingWork", List.of("p".repeat(200))));
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.json().path("detail").asString())
                    .contains("checkpoint-max-bytes is 1000", "summarising the context");
        }
    }
}
