package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AgentApiTest {
    static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void admin_creates_an_agent_whose_token_is_shown_once_and_identifies_it() {
        TestHub.Response created = hub.post(
                TestHub.ADMIN,
                "/api/agents",
                Map.of("id", "builder-1", "name", "Builder", "role", "agent", "labels", Map.of("pool", "web")));
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().path("token").asString();
        assertThat(token).startsWith("ahk_");
        assertThat(created.json().path("id").asString()).isEqualTo("builder-1");
        assertThat(created.json().path("labels").path("pool").asString()).isEqualTo("web");

        TestHub.Response me = hub.get(token, "/api/whoami");
        assertThat(me.json().path("id").asString()).isEqualTo("builder-1");
        assertThat(me.json().path("role").asString()).isEqualTo("agent");

        TestHub.Response listed = hub.get(token, "/api/agents?action=get-all");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.raw().body()).contains("builder-1").doesNotContain(token);
        TestHub.Response one = hub.get(token, "/api/agents/builder-1");
        assertThat(one.raw().body()).doesNotContain(token);

        assertThat(hub.post(TestHub.ADMIN, "/api/agents", Map.of("id", "builder-1"))
                        .status())
                .isEqualTo(409);
        assertThat(hub.post(token, "/api/agents", Map.of("id", "sneaky")).status())
                .isEqualTo(403);
    }

    @Test
    void agents_enrol_with_a_revocable_join_key() {
        TestHub.Response key = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "ci-fleet"));
        assertThat(key.status()).isEqualTo(201);
        String joinKey = key.json().path("joinKey").asString();

        TestHub.Response enrolled =
                hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", "spawned-7", "name", "Spawned"));
        assertThat(enrolled.status()).isEqualTo(201);
        String token = enrolled.json().path("token").asString();
        assertThat(hub.get(token, "/api/whoami").json().path("id").asString()).isEqualTo("spawned-7");

        TestHub.Response taken = hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", "spawned-7"));
        assertThat(taken.status()).isEqualTo(409);

        TestHub.Response keys = hub.get(TestHub.ADMIN, "/api/join-keys");
        assertThat(keys.raw().body()).contains("ci-fleet").doesNotContain(joinKey);
        String id = key.json().path("id").asString();
        assertThat(hub.delete(TestHub.ADMIN, "/api/join-keys/" + id).status()).isEqualTo(200);
        TestHub.Response refused = hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", "late"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(hub.post(null, "/api/agents/enroll", Map.of("joinKey", "ahj_guess", "id", "x"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void heartbeat_sets_status_task_and_context_tokens_of_the_caller_only() {
        String token = hub.agent("worker-hb");
        hub.agent("other-hb");
        TestHub.Response beat = hub.post(
                token,
                "/api/heartbeat",
                Map.of("status", "busy", "currentTask", "task:12", "contextTokens", 42_000, "agentId", "other-hb"));
        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json().path("id").asString()).isEqualTo("worker-hb");
        assertThat(beat.json().path("status").asString()).isEqualTo("busy");
        assertThat(beat.json().path("presence").asString()).isEqualTo("online");
        assertThat(beat.json().path("contextTokens").asLong()).isEqualTo(42_000);
        TestHub.Response other = hub.get(token, "/api/agents/other-hb");
        assertThat(other.json().path("agent").path("status").asString()).isEqualTo("idle");

        TestHub.Response bad = hub.post(token, "/api/heartbeat", Map.of("status", "sleeping"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("detail").asString()).contains("status");
    }

    @Test
    void an_agent_cannot_edit_another_agents_profile() {
        String a = hub.agent("profile-a");
        hub.agent("profile-b");
        assertThat(hub.send(
                                a,
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create(hub.url() + "/api/agents/profile-b"))
                                        .method(
                                                "PATCH",
                                                java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")))
                        .status())
                .isEqualTo(403);
        assertThat(hub.send(
                                a,
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create(hub.url() + "/api/agents/profile-a"))
                                        .method(
                                                "PATCH",
                                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                                        "{\"name\":\"Alpha\",\"capabilities\":[\"rust\"]}")))
                        .json()
                        .path("name")
                        .asString())
                .isEqualTo("Alpha");
    }

    @Test
    void a_patch_of_capabilities_keeps_the_name_and_the_labels() {
        String a = hub.agent("merge-a", Map.of("pool", "web", "zone", "eu"));
        patch(a, "merge-a", "{\"name\":\"Alpha\"}");
        TestHub.Response caps = patch(a, "merge-a", "{\"capabilities\":[\"rust\"]}");
        assertThat(caps.status()).isEqualTo(200);
        assertThat(caps.json().path("name").asString()).isEqualTo("Alpha");
        assertThat(caps.json().path("capabilities").get(0).asString()).isEqualTo("rust");
        assertThat(caps.json().path("labels").path("pool").asString()).isEqualTo("web");
        assertThat(caps.json().path("labels").path("zone").asString()).isEqualTo("eu");
    }

    @Test
    void a_label_is_removed_only_when_sent_as_null() {
        String a = hub.agent("merge-b", Map.of("pool", "web", "zone", "eu"));
        TestHub.Response merged = patch(a, "merge-b", "{\"labels\":{\"zone\":null,\"tier\":\"gold\"}}");
        assertThat(merged.status()).isEqualTo(200);
        TestHub.Response stored = hub.get(a, "/api/agents/merge-b");
        assertThat(stored.json().path("agent").path("labels").properties())
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("pool", "tier");
        assertThat(stored.json().path("agent").path("capabilities").isEmpty()).isTrue();
    }

    private static TestHub.Response patch(String token, String id, String body) {
        return hub.send(
                token,
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url() + "/api/agents/" + id))
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void the_audit_log_without_a_cursor_returns_the_newest_events_and_pages_back() {
        for (int i = 0; i < 3; i++) {
            hub.agent("audited-" + i);
        }
        TestHub.Response newest = hub.get(TestHub.ADMIN, "/api/audit?limit=2");
        assertThat(newest.status()).isEqualTo(200);
        List<String> subjects = new java.util.ArrayList<>();
        newest.json().path("events").forEach(e -> subjects.add(e.path("subject").asString()));
        assertThat(subjects).as("the newest two, oldest first").containsExactly("audited-1", "audited-2");
        TestHub.Response older = hub.get(
                TestHub.ADMIN,
                "/api/audit?limit=1&before=" + newest.json().path("prevCursor").asLong());
        assertThat(older.json().path("events").get(0).path("subject").asString())
                .isEqualTo("audited-0");
    }
}
