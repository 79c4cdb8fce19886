package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CheckpointApiTest {
    static TestHub hub;
    static String viewer;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        viewer = hub.viewer("screen");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static Map<String, Object> body(String task) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("currentTask", task);
        b.put("progress", "tests written, fixing the last one");
        b.put("decisions", List.of("keep the SPI small"));
        b.put("blockers", List.of());
        b.put("pendingWork", List.of("docs", "release notes"));
        b.put("filesTouched", List.of("src/Main.java"));
        b.put("context", "Summary of the session so far.");
        b.put("contextTokens", 64000);
        return b;
    }

    private static List<Long> versions(JsonNode json) {
        List<Long> out = new ArrayList<>();
        json.path("versions").forEach(v -> out.add(v.path("version").asLong()));
        return out;
    }

    @Test
    void checkpoints_are_saved_under_the_callers_own_id_with_growing_versions() {
        String alice = hub.agent("alice");
        Map<String, Object> spoofed = body("refactor");
        spoofed.put("agentId", "bob");
        TestHub.Response first = hub.post(alice, "/api/checkpoints", spoofed);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(first.json().path("agentId").asString()).isEqualTo("alice");
        assertThat(first.json().path("version").asLong()).isEqualTo(1);
        assertThat(first.json().path("pendingWork").toString()).isEqualTo("[\"docs\",\"release notes\"]");
        assertThat(first.json().path("contextTokens").asLong()).isEqualTo(64000);

        TestHub.Response second = hub.post(alice, "/api/checkpoints", body("review"));
        assertThat(second.json().path("version").asLong()).isEqualTo(2);

        TestHub.Response read = hub.get(alice, "/api/checkpoints");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("latest").path("currentTask").asString()).isEqualTo("review");
        assertThat(read.json().path("latest").path("context").asString()).isEqualTo("Summary of the session so far.");
        assertThat(versions(read.json())).containsExactly(2L, 1L);
        assertThat(read.json().path("versions").get(1).path("currentTask").asString())
                .isEqualTo("refactor");

        TestHub.Response one = hub.get(alice, "/api/checkpoints?version=1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("currentTask").asString()).isEqualTo("refactor");
        assertThat(one.json().path("decisions").get(0).asString()).isEqualTo("keep the SPI small");
        assertThat(hub.get(alice, "/api/checkpoints?version=99").status()).isEqualTo(404);
        assertThat(hub.get(alice, "/api/checkpoints?version=first").status()).isEqualTo(400);
        assertThat(versions(hub.get(alice, "/api/checkpoints?limit=1").json())).containsExactly(2L);
    }

    @Test
    void an_agent_without_checkpoints_gets_no_latest_and_no_versions() {
        String fresh = hub.agent("fresh");
        TestHub.Response read = hub.get(fresh, "/api/checkpoints");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("latest").isNull()).isTrue();
        assertThat(read.json().path("versions").size()).isZero();
    }

    @Test
    void agents_read_only_their_own_checkpoints_and_admins_read_any() {
        String carol = hub.agent("carol");
        String dave = hub.agent("dave");
        hub.post(carol, "/api/checkpoints", body("carol's task"));

        TestHub.Response peek = hub.get(dave, "/api/checkpoints?agentId=carol");
        assertThat(peek.status()).isEqualTo(403);
        assertThat(hub.get(dave, "/api/checkpoints?agentId=carol&version=1").status())
                .isEqualTo(403);
        assertThat(hub.get(viewer, "/api/checkpoints?agentId=carol").status()).isEqualTo(403);
        assertThat(hub.get(carol, "/api/checkpoints?agentId=carol").status()).isEqualTo(200);

        TestHub.Response admin = hub.get(TestHub.ADMIN, "/api/checkpoints?agentId=carol");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().path("latest").path("currentTask").asString()).isEqualTo("carol's task");
        assertThat(hub.get(TestHub.ADMIN, "/api/checkpoints?agentId=carol&version=1")
                        .json()
                        .path("agentId")
                        .asString())
                .isEqualTo("carol");
    }

    @Test
    void viewers_cannot_save_and_limits_are_enforced() {
        String erin = hub.agent("erin");
        assertThat(hub.post(viewer, "/api/checkpoints", body("x")).status()).isEqualTo(403);

        Map<String, Object> big = body("x");
        big.put("context", "c".repeat(64 * 1024 + 1));
        TestHub.Response tooBig = hub.post(erin, "/api/checkpoints", big);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().path("field").asString()).isEqualTo("context");

        Map<String, Object> many = body("x");
        many.put("decisions", Collections.nCopies(101, "d"));
        assertThat(hub.post(erin, "/api/checkpoints", many).status()).isEqualTo(413);

        Map<String, Object> negative = body("x");
        negative.put("contextTokens", -1);
        assertThat(hub.post(erin, "/api/checkpoints", negative).status()).isEqualTo(400);
        assertThat(hub.postRaw(erin, "/api/checkpoints", "{\"decisions\": \"not a list\"}")
                        .status())
                .isEqualTo(400);
        assertThat(hub.get(erin, "/api/checkpoints").json().path("latest").isNull())
                .isTrue();
    }

    @Test
    void only_the_newest_20_versions_are_kept() {
        String frank = hub.agent("frank");
        for (int i = 1; i <= 22; i++) {
            assertThat(hub.post(frank, "/api/checkpoints", body("t" + i)).status())
                    .isEqualTo(201);
        }
        List<Long> kept = versions(hub.get(frank, "/api/checkpoints").json());
        assertThat(kept).hasSize(20).startsWith(22L).endsWith(3L);
        assertThat(hub.get(frank, "/api/checkpoints?version=2").status()).isEqualTo(404);
    }

    @Test
    void checkpoints_survive_a_restart_and_versions_keep_counting() throws Exception {
        try (TestHub own = new TestHub()) {
            String token = own.agent("phoenix");
            own.post(token, "/api/checkpoints", body("before"));
            own.restart();
            assertThat(own.get(token, "/api/checkpoints")
                            .json()
                            .path("latest")
                            .path("currentTask")
                            .asString())
                    .isEqualTo("before");
            assertThat(own.post(token, "/api/checkpoints", body("after"))
                            .json()
                            .path("version")
                            .asLong())
                    .isEqualTo(2);
        }
    }
}
