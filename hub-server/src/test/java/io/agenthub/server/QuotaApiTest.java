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

    @Test
    void past_its_channel_quota_an_agent_may_post_only_in_existing_channels() throws Exception {
        try (TestHub hub = new TestHub(Map.of("channel-quota", "2"), Clock.systemUTC())) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            for (String channel : List.of("general", "alpha", "beta")) {
                assertThat(hub.post(alice, "/api/chat", Map.of("channel", channel, "text", "hi"))
                                .status())
                        .as(channel + " (general counts against no one)")
                        .isEqualTo(201);
            }
            TestHub.Response refused = hub.post(alice, "/api/chat", Map.of("channel", "gamma", "text", "hi"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("code").asString()).isEqualTo("quota_exceeded");
            assertThat(refused.json().path("quota").asString()).isEqualTo("channel-quota");
            assertThat(refused.json().path("detail").asString())
                    .contains("channel-quota (2 channels", "posting in an existing channel", "GET /api/channels");
            assertThat(hub.post(alice, "/api/chat", Map.of("channel", "beta", "text", "still fine"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(bob, "/api/chat", Map.of("channel", "alpha", "text", "joining"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(bob, "/api/chat", Map.of("channel", "gamma", "text", "bob's own"))
                            .status())
                    .as("bob's own quota")
                    .isEqualTo(201);
            assertThat(hub.post(alice, "/api/chat", Map.of("channel", "gamma", "text", "now it exists"))
                            .status())
                    .as("a channel someone else opened")
                    .isEqualTo(201);
        }
    }

    @Test
    void past_its_error_issue_quota_an_agent_reports_only_known_issues_until_it_resolves_one() throws Exception {
        try (TestHub hub = new TestHub(Map.of("error-issue-quota", "2", "rate-limit-errors", "0"), Clock.systemUTC())) {
            String alice = hub.agent("alice");
            String first = hub.post(alice, "/api/errors", Map.of("title", "disk full"))
                    .json()
                    .path("issue")
                    .path("id")
                    .asString();
            assertThat(hub.post(alice, "/api/errors", Map.of("title", "no network"))
                            .status())
                    .isEqualTo(201);
            TestHub.Response refused = hub.post(alice, "/api/errors", Map.of("title", "third thing"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("quota").asString()).isEqualTo("error-issue-quota");
            assertThat(refused.json().path("detail").asString())
                    .contains("error-issue-quota (2 open issues", "PATCH /api/errors/{id}");
            assertThat(hub.post(alice, "/api/errors", Map.of("title", "disk full"))
                            .status())
                    .as("another occurrence of an issue it has")
                    .isEqualTo(201);
            assertThat(hub.post(hub.agent("bob"), "/api/errors", Map.of("title", "bob's"))
                            .status())
                    .isEqualTo(201);

            assertThat(hub.send(
                                    alice,
                                    java.net.http.HttpRequest.newBuilder()
                                            .uri(java.net.URI.create(hub.url() + "/api/errors/" + first))
                                            .method(
                                                    "PATCH",
                                                    java.net.http.HttpRequest.BodyPublishers.ofString(
                                                            "{\"status\":\"resolved\"}"))
                                            .header("Content-Type", "application/json"))
                            .status())
                    .isEqualTo(200);
            assertThat(hub.post(alice, "/api/errors", Map.of("title", "third thing"))
                            .status())
                    .isEqualTo(201);
        }
    }
}
