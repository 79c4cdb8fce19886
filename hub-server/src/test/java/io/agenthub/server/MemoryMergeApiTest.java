package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Duplicates merge on write, consolidation merges and decays (REST and CLI), and search folds word forms. */
class MemoryMergeApiTest {
    private static TestHub.Response remember(TestHub hub, String token, String content, String... tags) {
        return hub.post(
                token, "/api/memories", Map.of("category", "learning", "content", content, "tags", List.of(tags)));
    }

    private static List<String> contents(TestHub.Response r) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("memories").forEach(m -> out.add(m.path("content").asString()));
        return out;
    }

    @Test
    void the_same_memory_posted_three_times_is_one_entry_and_hot_start_shows_it_once() throws Exception {
        try (TestHub hub = new TestHub()) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            String text = "Login tokens are cached for five minutes by the gateway.";

            TestHub.Response first = remember(hub, alice, text, "auth");
            assertThat(first.status()).isEqualTo(201);
            assertThat(first.json().path("merged").asBoolean()).isFalse();
            String id = first.json().path("id").asString();
            TestHub.Response second =
                    remember(hub, bob, "login tokens are CACHED for five minutes by the gateway", "gw");
            TestHub.Response third = remember(hub, alice, "Login tokens ARE cached, for five minutes, by the gateway!");
            for (TestHub.Response r : List.of(second, third)) {
                assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
                assertThat(r.json().path("merged").asBoolean()).isTrue();
                assertThat(r.json().path("id").asString()).isEqualTo(id);
            }
            JsonNode merged = third.json();
            assertThat(merged.path("count").asInt()).isEqualTo(3);
            assertThat(merged.path("content").asString()).isEqualTo(text);
            assertThat(merged.path("authors").toString()).isEqualTo("[\"alice\",\"bob\"]");
            assertThat(merged.path("tags").toString()).isEqualTo("[\"auth\",\"gw\"]");

            assertThat(contents(hub.get(bob, "/api/memories?q=caching+token"))).containsExactly(text);
            TestHub.Response get = hub.get(bob, "/api/memories/" + id);
            assertThat(get.json().path("count").asInt()).isEqualTo(3);

            hub.post(alice, "/api/checkpoints", Map.of("currentTask", "fix the login tokens gateway cache"));
            String prompt =
                    hub.get(alice, "/api/hot-start?format=markdown").raw().body();
            assertThat(prompt.split("cached for five minutes", -1)).hasSize(2);
        }
    }

    @Test
    void consolidation_merges_near_duplicates_and_decays_entries_never_recalled() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("memory-decay-after", "30d"))) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            remember(hub, alice, "Nobody ever needed this note.");
            String recalledId = remember(hub, alice, "The zebra fixture is flaky.")
                    .json()
                    .path("id")
                    .asString();
            assertThat(contents(hub.get(bob, "/api/memories?q=zebra"))).hasSize(1);
            clock.advance(Duration.ofDays(31));
            String olderId = remember(hub, alice, "The build cache is stale after upgrades of Maven.", "build")
                    .json()
                    .path("id")
                    .asString();
            clock.advance(Duration.ofMinutes(1));
            TestHub.Response near = remember(hub, bob, "The build cache is stale after Maven upgrades.", "maven");
            assertThat(near.json().path("merged").asBoolean())
                    .as("different wording is not an exact duplicate")
                    .isFalse();

            assertThat(hub.post(alice, "/api/memories/consolidate", Map.of()).status())
                    .isEqualTo(403);
            CliRun run = CliRun.of("memories", "consolidate", "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("merged 1 near duplicate(s)", "decayed 1 entry never recalled");

            List<String> left = contents(hub.get(TestHub.ADMIN, "/api/memories?limit=10"));
            assertThat(left)
                    .containsExactlyInAnyOrder(
                            "The build cache is stale after upgrades of Maven.", "The zebra fixture is flaky.");
            JsonNode survivor = hub.get(bob, "/api/memories/" + olderId).json();
            assertThat(survivor.path("count").asInt()).isEqualTo(2);
            assertThat(survivor.path("tags").toString()).isEqualTo("[\"build\",\"maven\"]");
            assertThat(survivor.path("authors").toString()).isEqualTo("[\"alice\",\"bob\"]");
            assertThat(hub.get(bob, "/api/memories/" + near.json().path("id").asString())
                            .status())
                    .isEqualTo(404);
            assertThat(hub.get(bob, "/api/memories/" + recalledId).status()).isEqualTo(200);

            TestHub.Response again = hub.post(TestHub.ADMIN, "/api/memories/consolidate", Map.of());
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().path("merged").asInt()).isZero();
            assertThat(again.json().path("decayed").asInt()).isZero();
        }
    }
}
