package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MemoryApiTest {
    static TestHub hub;
    static String alice;
    static String bob;
    static String viewer;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        alice = hub.agent("alice");
        bob = hub.agent("bob");
        viewer = hub.viewer("screen");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static TestHub.Response remember(String token, String category, String content, String... tags) {
        return hub.post(
                token, "/api/memories", Map.of("category", category, "content", content, "tags", List.of(tags)));
    }

    private static String id(TestHub.Response r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private static List<String> ids(TestHub.Response r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("memories").forEach(m -> out.add(m.path("id").asString()));
        return out;
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void remembered_entry_is_returned_with_its_author_and_normalised_tags() {
        TestHub.Response r = remember(alice, "Decision", "Use WAL mode for the store.", "SQLite", " perf ");
        assertThat(r.status()).isEqualTo(201);
        JsonNode m = r.json();
        assertThat(m.path("id").asString()).startsWith("mem-");
        assertThat(m.path("category").asString()).isEqualTo("decision");
        assertThat(m.path("author").asString()).isEqualTo("alice");
        assertThat(m.path("tags").toString()).isEqualTo("[\"sqlite\",\"perf\"]");
        assertThat(m.path("recallCount").asInt()).isZero();
        assertThat(m.path("createdAt").asString()).isNotEmpty();

        TestHub.Response one = hub.get(viewer, "/api/memories/" + m.path("id").asString());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("content").asString()).isEqualTo("Use WAL mode for the store.");
    }

    @Test
    void recall_ranks_by_relevance_and_counts_each_recall() {
        String both = id(remember(alice, "discovery", "The kestrel gateway drops kestrel heartbeats at dusk."));
        String one = id(remember(bob, "discovery", "The gateway restarts nightly."));
        id(remember(bob, "discovery", "Unrelated note about tea."));

        TestHub.Response found = hub.get(viewer, "/api/memories?q=" + q("kestrel gateway heartbeats"));
        assertThat(ids(found)).containsExactly(both, one);
        assertThat(found.json().path("memories").get(0).path("recallCount").asInt())
                .isEqualTo(1);
        assertThat(found.json().path("memories").get(0).path("lastRecalledAt").asString())
                .isNotEmpty();

        hub.get(alice, "/api/memories?q=kestrel");
        assertThat(hub.get(alice, "/api/memories/" + both)
                        .json()
                        .path("recallCount")
                        .asInt())
                .isEqualTo(2);
        assertThat(ids(hub.get(alice, "/api/memories?q=" + q("kestrel gateway") + "&limit=1")))
                .containsExactly(both);
    }

    @Test
    void tags_and_category_filter_the_results() {
        String javaBuild = id(remember(alice, "warning", "Maven caches stale snapshots.", "java", "build-x"));
        String javaOnly = id(remember(alice, "pattern", "Records for data.", "java", "style-x"));
        assertThat(ids(hub.get(alice, "/api/memories?tags=JAVA,build-x"))).containsExactly(javaBuild);
        assertThat(ids(hub.get(alice, "/api/memories?tags=java&tags=style-x"))).containsExactly(javaOnly);
        assertThat(ids(hub.get(alice, "/api/memories?tags=java&category=Pattern")))
                .containsExactly(javaOnly);
        TestHub.Response bad = hub.get(alice, "/api/memories?category=rumour");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("detail").asString()).contains("discovery, decision");
    }

    @Test
    void hostile_query_text_is_answered_not_failed() {
        String id = id(remember(alice, "learning", "Quoting protects the zanzibar query."));
        for (String text : List.of(
                "\"", "zanzibar\"", "NEAR(zanzibar", "zanzibar*", "-zanzibar", "content:zanzibar", "()", "* OR *")) {
            TestHub.Response r = hub.get(alice, "/api/memories?q=" + q(text));
            assertThat(r.status()).as(text).isEqualTo(200);
        }
        assertThat(ids(hub.get(alice, "/api/memories?q=" + q("NOT zanzibar")))).containsExactly(id);
    }

    @Test
    void only_the_author_or_an_admin_may_forget_and_forgotten_entries_are_gone() {
        String mine = id(remember(alice, "blocker", "The quokka service is down.", "quokka"));
        String bobs = id(remember(bob, "blocker", "The quokka cache is cold.", "quokka"));

        TestHub.Response stolen = hub.delete(bob, "/api/memories/" + mine);
        assertThat(stolen.status()).isEqualTo(403);
        assertThat(stolen.json().path("detail").asString()).contains("written by alice");
        assertThat(hub.delete(viewer, "/api/memories/" + mine).status()).isEqualTo(403);

        TestHub.Response forgotten = hub.delete(alice, "/api/memories/" + mine);
        assertThat(forgotten.status()).isEqualTo(200);
        assertThat(forgotten.json().path("memory").path("id").asString()).isEqualTo(mine);
        assertThat(hub.delete(TestHub.ADMIN, "/api/memories/" + bobs).status()).isEqualTo(200);

        assertThat(hub.get(alice, "/api/memories/" + mine).status()).isEqualTo(404);
        assertThat(hub.delete(alice, "/api/memories/" + mine).status()).isEqualTo(404);
        assertThat(ids(hub.get(alice, "/api/memories?q=quokka"))).isEmpty();
        assertThat(ids(hub.get(alice, "/api/memories?tags=quokka"))).isEmpty();
    }

    @Test
    void viewers_cannot_remember_and_limits_are_enforced() {
        assertThat(remember(viewer, "learning", "x").status()).isEqualTo(403);

        TestHub.Response big = remember(alice, "learning", "x".repeat(8 * 1024 + 1));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.header("Content-Type")).startsWith("application/problem+json");
        assertThat(big.json().path("code").asString()).isEqualTo("too_large");
        assertThat(big.json().path("field").asString()).isEqualTo("content");

        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tags.add("t" + i);
        }
        assertThat(hub.post(alice, "/api/memories", Map.of("category", "learning", "content", "x", "tags", tags))
                        .status())
                .isEqualTo(413);
        assertThat(remember(alice, "gossip", "x").status()).isEqualTo(400);
        assertThat(hub.post(alice, "/api/memories", Map.of("category", "learning"))
                        .status())
                .isEqualTo(400);
        assertThat(hub.get(alice, "/api/memories?limit=0").status()).isEqualTo(400);
        assertThat(hub.get(alice, "/api/memories?limit=99999999999").status()).isEqualTo(400);
        assertThat(hub.get(alice, "/api/memories?limit=ten").status()).isEqualTo(400);
        assertThat(hub.get(null, "/api/memories").status()).isEqualTo(401);
    }

    @Test
    void memories_survive_a_restart() throws Exception {
        try (TestHub own = new TestHub()) {
            String token = own.agent("keeper");
            String id = own.post(
                            token,
                            "/api/memories",
                            Map.of("category", "learning", "content", "Durable pelican fact.", "tags", List.of("p")))
                    .json()
                    .path("id")
                    .asString();
            own.restart();
            TestHub.Response found = own.get(token, "/api/memories?q=pelican&tags=p");
            assertThat(found.json().path("memories").get(0).path("id").asString())
                    .isEqualTo(id);
        }
    }
}
