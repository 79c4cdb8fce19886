package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.config.HubConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Acknowledged writes survive a restart of the hub on the same data directory. */
class RestartTest {
    @Test
    void every_acknowledged_write_survives_a_restart_and_tokens_and_cursors_keep_growing() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("survivor");
            String friend = hub.agent("friend");
            long lease = hub.post(token, "/api/leases", Map.of("resource", "keep.txt", "ttlSeconds", 600))
                    .json()
                    .path("token")
                    .asLong();
            long chat = hub.post(token, "/api/chat", Map.of("channel", "general", "text", "before the restart"))
                    .json()
                    .path("cursor")
                    .asLong();
            hub.post(friend, "/api/dm", Map.of("to", "survivor", "text", "a private note"));
            String memory = hub.post(
                            token,
                            "/api/memories",
                            Map.of(
                                    "category",
                                    "learning",
                                    "content",
                                    "restarts keep memories",
                                    "tags",
                                    List.of("durability")))
                    .json()
                    .path("id")
                    .asString();
            hub.post(token, "/api/checkpoints", Map.of("currentTask", "survive", "pendingWork", List.of("verify")));
            hub.post(token, "/api/heartbeat", Map.of("status", "busy", "currentTask", "survive"));

            hub.restart();

            assertThat(hub.get(token, "/api/whoami").json().path("id").asString())
                    .isEqualTo("survivor");
            JsonNode leases =
                    hub.get(token, "/api/leases?holder=survivor").json().path("leases");
            assertThat(leases.get(0).path("resource").asString()).isEqualTo("keep.txt");
            assertThat(hub.get(token, "/api/chat?channel=general").raw().body()).contains("before the restart");
            assertThat(hub.get(token, "/api/inbox").raw().body()).contains("a private note");
            assertThat(hub.get(token, "/api/memories?q=restarts").raw().body()).contains(memory);
            assertThat(hub.get(token, "/api/checkpoints")
                            .json()
                            .path("latest")
                            .path("currentTask")
                            .asString())
                    .isEqualTo("survive");
            assertThat(hub.get(token, "/api/agents/survivor")
                            .json()
                            .path("agent")
                            .path("currentTask")
                            .asString())
                    .isEqualTo("survive");
            JsonNode hot = hub.get(token, "/api/hot-start").json();
            assertThat(hot.path("checkpoint").path("currentTask").asString()).isEqualTo("survive");
            assertThat(hot.path("inbox").toString()).contains("a private note");

            long newLease = hub.post(token, "/api/leases", Map.of("resource", "new.txt"))
                    .json()
                    .path("token")
                    .asLong();
            assertThat(newLease).isGreaterThan(lease);
            long newChat = hub.post(token, "/api/chat", Map.of("channel", "general", "text", "after"))
                    .json()
                    .path("cursor")
                    .asLong();
            assertThat(newChat).isGreaterThan(chat);
        }
    }

    @Test
    void an_acknowledged_inbox_stays_read_across_a_restart() throws Exception {
        try (TestHub hub = new TestHub()) {
            String me = hub.agent("reader");
            String other = hub.agent("writer");
            long first = hub.post(other, "/api/dm", Map.of("to", "reader", "text", "one"))
                    .json()
                    .path("cursor")
                    .asLong();
            hub.post(other, "/api/dm", Map.of("to", "reader", "text", "two"));
            TestHub.Response ack = hub.post(me, "/api/inbox/ack", Map.of("cursor", first));
            assertThat(ack.json().path("acknowledged").asLong()).isEqualTo(first);
            assertThat(hub.post(me, "/api/inbox/ack", Map.of("cursor", first + 1000))
                            .status())
                    .isEqualTo(400);
            hub.restart();
            JsonNode inbox = hub.get(me, "/api/hot-start").json().path("inbox");
            assertThat(inbox.size()).isEqualTo(1);
            assertThat(inbox.get(0).path("text").asString()).isEqualTo("two");
        }
    }

    @Test
    void a_second_hub_cannot_open_the_same_data_directory() throws Exception {
        try (TestHub hub = new TestHub()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Hub(
                            HubConfig.of(Map.of(
                                    "port", "0", "data-dir", hub.dataDir().toString(), "admin-token", TestHub.ADMIN)),
                            java.time.Clock.systemUTC()))
                    .hasMessageContaining("Another hub is running");
        }
    }
}
