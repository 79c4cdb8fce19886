package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Handoffs over HTTP: offer, accept with lease moves, decline, complete, expiry back to the pool, hot-start. */
class HandoffApiTest {
    @Test
    void accepting_a_named_handoff_moves_the_leases_with_new_tokens_and_completing_tells_the_sender() throws Exception {
        try (TestHub hub = new TestHub()) {
            String alice = hub.agent("alice", Map.of("pool", "web"));
            String bob = hub.agent("bob", Map.of("pool", "web"));
            String carol = hub.agent("carol", Map.of("pool", "web"));
            long fileToken = token(hub.post(alice, "/api/leases", Map.of("resource", "src/parser.ts")));
            long zoneToken = token(hub.post(alice, "/api/leases", Map.of("resource", "docs/")));
            hub.post(alice, "/api/leases", Map.of("resource", "keep-mine.txt"));

            TestHub.Response notHeld = hub.post(
                    alice, "/api/handoffs", Map.of("to", "bob", "title", "x", "leases", List.of("not-mine.txt")));
            assertThat(notHeld.status()).isEqualTo(409);
            assertThat(notHeld.json().path("detail").asString()).contains("not-mine.txt");
            assertThat(hub.post(alice, "/api/handoffs", Map.of("to", "nobody", "title", "x"))
                            .status())
                    .isEqualTo(404);

            TestHub.Response created = hub.post(
                    alice,
                    "/api/handoffs",
                    Map.of(
                            "to",
                            "bob",
                            "title",
                            "finish the parser",
                            "context",
                            "tokenizer is done; tests are red",
                            "nextSteps",
                            List.of("fix the failing test"),
                            "files",
                            List.of("src/parser.ts"),
                            "leases",
                            List.of("src/parser.ts", "docs/")));
            assertThat(created.status()).isEqualTo(201);
            JsonNode h = created.json();
            String id = h.path("id").asString();
            assertThat(h.path("status").asString()).isEqualTo("pending");
            assertThat(h.path("to").asString()).isEqualTo("agent:bob");
            assertThat(h.path("fallback").asString()).isEqualTo("pool:web");
            assertThat(hub.get(bob, "/api/inbox?after=0").raw().body()).contains("Handoff " + id, "finish the parser");
            assertThat(hub.get(bob, "/api/handoffs?mine=true")
                            .json()
                            .path("handoffs")
                            .toString())
                    .contains(id);
            assertThat(hub.get(carol, "/api/handoffs?mine=true")
                            .json()
                            .path("handoffs")
                            .size())
                    .isZero();
            assertThat(hub.get(bob, "/api/hot-start?format=markdown").raw().body())
                    .contains("Handoffs for you", id, "finish the parser", "fix the failing test", "Model routing");

            assertThat(hub.post(carol, "/api/handoffs/" + id + "/accept", Map.of())
                            .status())
                    .isEqualTo(403);
            TestHub.Response accepted = hub.post(bob, "/api/handoffs/" + id + "/accept", Map.of());
            assertThat(accepted.status()).isEqualTo(200);
            JsonNode a = accepted.json();
            assertThat(a.path("handoff").path("status").asString()).isEqualTo("accepted");
            assertThat(a.path("blocked").size()).isZero();
            assertThat(a.path("leases").size()).isEqualTo(2);
            a.path("leases").forEach(l -> {
                assertThat(l.path("holder").asString()).isEqualTo("bob");
                assertThat(l.path("token").asLong()).isGreaterThan(Math.max(fileToken, zoneToken));
            });
            assertThat(hub.get(bob, "/api/leases?holder=alice")
                            .json()
                            .path("leases")
                            .toString())
                    .contains("keep-mine.txt")
                    .doesNotContain("src/parser.ts");
            TestHub.Response fenced =
                    hub.post(alice, "/api/leases/release", Map.of("resource", "src/parser.ts", "token", fileToken));
            assertThat(fenced.status()).isEqualTo(409);
            assertThat(fenced.json().path("detail").asString()).contains("now held by bob");
            assertThat(hub.post(bob, "/api/handoffs/" + id + "/accept", Map.of())
                            .status())
                    .isEqualTo(409);
            assertThat(hub.get(alice, "/api/inbox?after=0").raw().body()).contains("bob accepted handoff " + id);

            assertThat(hub.post(carol, "/api/handoffs/" + id + "/complete", Map.of("note", "x"))
                            .status())
                    .isEqualTo(403);
            JsonNode done = hub.post(bob, "/api/handoffs/" + id + "/complete", Map.of("note", "merged in #12"))
                    .json();
            assertThat(done.path("status").asString()).isEqualTo("completed");
            assertThat(hub.get(alice, "/api/inbox?after=0").raw().body()).contains("merged in #12");
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=1000").raw().body())
                    .contains("handoff.accept");
        }
    }

    @Test
    void of_many_pool_members_accepting_at_once_exactly_one_wins() throws Exception {
        try (TestHub hub = new TestHub()) {
            String lead = hub.agent("lead", Map.of("pool", "core"));
            List<String> members = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                members.add(hub.agent("m" + i, Map.of("pool", "web")));
            }
            String outsider = hub.agent("outsider", Map.of("pool", "ops"));
            hub.post(lead, "/api/leases", Map.of("resource", "task:99"));
            String id = hub.post(
                            lead,
                            "/api/handoffs",
                            Map.of("to", "pool:web", "title", "triage", "leases", List.of("task:99")))
                    .json()
                    .path("id")
                    .asString();
            assertThat(hub.post(outsider, "/api/handoffs/" + id + "/accept", Map.of())
                            .status())
                    .isEqualTo(403);

            CountDownLatch start = new CountDownLatch(1);
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> futures = new ArrayList<>();
                for (String token : members) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return hub.post(token, "/api/handoffs/" + id + "/accept", Map.of())
                                .status();
                    }));
                }
                start.countDown();
                for (Future<Integer> f : futures) {
                    statuses.add(f.get());
                }
            }
            assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
            JsonNode leases = hub.get(lead, "/api/leases").json().path("leases");
            assertThat(leases.size()).isEqualTo(1);
            assertThat(leases.get(0).path("holder").asString())
                    .isEqualTo(hub.get(lead, "/api/handoffs/" + id)
                            .json()
                            .path("acceptedBy")
                            .asString());
        }
    }

    @Test
    void declines_and_expiry_return_work_to_the_pool_and_alert() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-02-02T08:00:00Z"));
        try (TestHub hub = TestHub.withClock(clock, Map.of("reaper-interval", "1h", "handoff-ttl", "20m"))) {
            String alice = hub.agent("alice", Map.of("pool", "web"));
            String bob = hub.agent("bob", Map.of("pool", "web"));
            String carol = hub.agent("carol", Map.of("pool", "web"));
            hub.post(
                    alice,
                    "/api/checkpoints",
                    Map.of(
                            "currentTask",
                            "migrate billing",
                            "progress",
                            "schema done",
                            "pendingWork",
                            List.of("port the invoice endpoint"),
                            "filesTouched",
                            List.of("src/billing.ts")));

            String declined = hub.post(alice, "/api/handoffs", Map.of("to", "bob", "fromCheckpoint", true))
                    .json()
                    .path("id")
                    .asString();
            JsonNode d = hub.post(bob, "/api/handoffs/" + declined + "/decline", Map.of("reason", "on call today"))
                    .json();
            assertThat(d.path("status").asString()).isEqualTo("declined");
            assertThat(d.path("title").asString()).isEqualTo("migrate billing");
            assertThat(d.path("nextSteps").toString()).contains("port the invoice endpoint");
            assertThat(hub.get(alice, "/api/inbox?after=0").raw().body()).contains("on call today");

            String pooled = hub.post(alice, "/api/handoffs", Map.of("to", "pool:web", "title", "review"))
                    .json()
                    .path("id")
                    .asString();
            assertThat(hub.post(bob, "/api/handoffs/" + pooled + "/decline", Map.of())
                            .json()
                            .path("status")
                            .asString())
                    .as("a pool handoff stays open for the others")
                    .isEqualTo("pending");
            assertThat(hub.post(bob, "/api/handoffs/" + pooled + "/accept", Map.of())
                            .status())
                    .isEqualTo(409);
            assertThat(hub.post(alice, "/api/handoffs/" + pooled + "/cancel", Map.of("note", "done myself"))
                            .json()
                            .path("status")
                            .asString())
                    .isEqualTo("cancelled");

            String named = hub.post(alice, "/api/handoffs", Map.of("to", "carol", "title", "deploy"))
                    .json()
                    .path("id")
                    .asString();
            clock.advance(Duration.ofMinutes(20));
            assertThat(hub.post(carol, "/api/handoffs/" + named + "/accept", Map.of())
                            .status())
                    .as("expired")
                    .isEqualTo(409);
            assertThat(hub.hub().services.handoffs.janitor().expireDue()).hasSize(1);
            JsonNode back = hub.get(alice, "/api/handoffs/" + named).json();
            assertThat(back.path("status").asString()).isEqualTo("pending");
            assertThat(back.path("to").asString()).isEqualTo("pool:web");
            assertThat(back.path("returned").asBoolean()).isTrue();
            assertThat(chat(hub)).contains("was not accepted by agent:carol in time; it is back with pool:web");

            clock.advance(Duration.ofMinutes(20));
            assertThat(hub.hub().services.handoffs.janitor().expireDue()).hasSize(1);
            assertThat(hub.get(alice, "/api/handoffs/" + named)
                            .json()
                            .path("status")
                            .asString())
                    .isEqualTo("expired");
            assertThat(chat(hub)).contains("Handoff " + named + " (deploy) from alice expired");
            assertThat(hub.get(alice, "/api/handoffs?status=expired")
                            .json()
                            .path("handoffs")
                            .toString())
                    .contains(named);
            assertThat(hub.get(alice, "/api/handoffs?status=bogus").status()).isEqualTo(400);
        }
    }

    private static long token(TestHub.Response r) {
        assertThat(r.status()).isEqualTo(201);
        return r.json().path("token").asLong();
    }

    private static String chat(TestHub hub) {
        return hub.get(TestHub.ADMIN, "/api/chat?channel=ops&limit=500").raw().body();
    }
}
