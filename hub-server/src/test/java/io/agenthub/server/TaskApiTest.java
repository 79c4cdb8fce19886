package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The work queue end to end over HTTP: create, claim (long-poll), renew, complete, fail, cancel, reads, tiers. */
class TaskApiTest {
    private static String create(TestHub hub, String token, Map<String, Object> body) {
        TestHub.Response r = hub.post(token, "/api/tasks", body);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    @Test
    void a_task_goes_from_creation_through_claim_and_renewal_to_done_with_its_history() throws Exception {
        MutableClock clock = MutableClock.atSomeFixedTime();
        try (TestHub hub = TestHub.withClock(clock, Map.of())) {
            String creator = hub.agent("planner");
            String worker = hub.agent("worker", Map.of("pool", "builders", "version", "v2"));
            String id = create(
                    hub,
                    creator,
                    Map.of(
                            "title",
                            "Fix the build",
                            "body",
                            "make it green",
                            "pool",
                            "builders",
                            "labels",
                            List.of("ci"),
                            "resources",
                            List.of("src/build/")));
            assertThat(hub.get(creator, "/api/tasks/" + id)
                            .json()
                            .path("task")
                            .path("createdBy")
                            .asString())
                    .isEqualTo("planner");

            TestHub.Response claimed = hub.post(worker, "/api/tasks/claim", Map.of("ttlSeconds", 60));
            assertThat(claimed.status()).as(claimed.raw().body()).isEqualTo(200);
            assertThat(claimed.json().path("id").asString()).isEqualTo(id);
            long token = claimed.json().path("token").asLong();
            assertThat(claimed.json().path("expiresAt").asString())
                    .isEqualTo(clock.instant().plusSeconds(60).toString());
            assertThat(hub.get(creator, "/api/leases?holder=worker")
                            .json()
                            .path("leases")
                            .get(0)
                            .path("resource")
                            .asString())
                    .isEqualTo("src/build/");

            clock.advance(Duration.ofSeconds(30));
            TestHub.Response renewed =
                    hub.post(worker, "/api/tasks/" + id + "/renew", Map.of("token", token, "ttlSeconds", 60));
            assertThat(renewed.json().path("expiresAt").asString())
                    .isEqualTo(clock.instant().plusSeconds(60).toString());

            TestHub.Response done =
                    hub.post(worker, "/api/tasks/" + id + "/complete", Map.of("token", token, "result", "green"));
            assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
            assertThat(done.json().path("state").asString()).isEqualTo("done");
            assertThat(hub.get(creator, "/api/leases?holder=worker")
                            .json()
                            .path("leases")
                            .size())
                    .isZero();

            JsonNode detail = hub.get(creator, "/api/tasks/" + id).json();
            assertThat(detail.path("task").path("result").asString()).isEqualTo("green");
            assertThat(detail.path("history").findValuesAsString("kind"))
                    .containsExactly("created", "claimed", "completed");
            assertThat(hub.get(creator, "/api/tasks?state=done&label=ci")
                            .json()
                            .path("tasks")
                            .size())
                    .isEqualTo(1);
            assertThat(hub.get(creator, "/api/chat?channel=tasks").raw().body())
                    .contains(
                            id + " (Fix the build, pool builders) created by planner",
                            "claimed by worker",
                            "completed by worker");
        }
    }

    @Test
    void nothing_to_claim_is_204_after_the_wait_and_a_new_task_wakes_a_waiting_claimer() throws Exception {
        try (TestHub hub = new TestHub()) {
            String worker = hub.agent("worker");
            assertThat(hub.post(worker, "/api/tasks/claim?wait=0.2", Map.of()).status())
                    .isEqualTo(204);
            CompletableFuture<TestHub.Response> waiting =
                    CompletableFuture.supplyAsync(() -> hub.post(worker, "/api/tasks/claim?wait=20", Map.of()));
            Thread.sleep(300);
            String id = create(hub, hub.agent("planner"), Map.of("title", "late work"));
            TestHub.Response r = waiting.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("id").asString()).isEqualTo(id);
        }
    }

    @Test
    void a_stale_token_is_refused_with_who_holds_the_task_now_and_failures_retry_until_dead() throws Exception {
        MutableClock clock = MutableClock.atSomeFixedTime();
        try (TestHub hub = TestHub.withClock(clock, Map.of("task-retry-base", "10s"))) {
            String alice = hub.agent("alice");
            String bob = hub.agent("bob");
            String id = create(hub, TestHub.ADMIN, Map.of("title", "flaky", "maxAttempts", 2));
            long first = hub.post(alice, "/api/tasks/claim", Map.of("ttlSeconds", 30))
                    .json()
                    .path("token")
                    .asLong();
            clock.advance(Duration.ofSeconds(31));
            long second = hub.post(bob, "/api/tasks/claim", Map.of())
                    .json()
                    .path("token")
                    .asLong();

            TestHub.Response late =
                    hub.post(alice, "/api/tasks/" + id + "/complete", Map.of("token", first, "result", "x"));
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().path("code").asString()).isEqualTo("stale_claim");
            assertThat(late.json().path("detail").asString())
                    .contains("the claim expired or was taken back at", "now claimed by bob with token " + second);

            TestHub.Response failed =
                    hub.post(bob, "/api/tasks/" + id + "/fail", Map.of("token", second, "reason", "disk full"));
            assertThat(failed.json().path("state").asString()).isEqualTo("dead");
            assertThat(hub.get(TestHub.ADMIN, "/api/errors").raw().body()).contains("Task " + id + " is dead: flaky");
            TestHub.Response again = hub.post(bob, "/api/tasks/" + id + "/cancel", Map.of());
            assertThat(again.status()).isEqualTo(403);
        }
    }

    @Test
    void only_the_creator_or_an_admin_cancels_and_a_full_pool_answers_429() throws Exception {
        try (TestHub hub = TestHub.withClock(MutableClock.atSomeFixedTime(), Map.of("task-queue-max", "2"))) {
            String planner = hub.agent("planner");
            String other = hub.agent("other");
            String id = create(hub, planner, Map.of("title", "a"));
            create(hub, planner, Map.of("title", "b"));
            TestHub.Response full = hub.post(planner, "/api/tasks", Map.of("title", "c"));
            assertThat(full.status()).isEqualTo(429);
            assertThat(full.header("Retry-After")).isNotNull();
            assertThat(hub.post(other, "/api/tasks/" + id + "/cancel", Map.of()).status())
                    .isEqualTo(403);
            TestHub.Response cancelled = hub.post(planner, "/api/tasks/" + id + "/cancel", Map.of("reason", "dup"));
            assertThat(cancelled.json().path("state").asString()).isEqualTo("cancelled");
            assertThat(hub.post(planner, "/api/tasks", Map.of("title", "c")).status())
                    .isEqualTo(201);
            assertThat(hub.post(planner, "/api/tasks", Map.of("title", "x".repeat(300)))
                            .status())
                    .isEqualTo(413);
            assertThat(hub.post(planner, "/api/tasks", Map.of("title", "x", "body", "y".repeat(20_000)))
                            .status())
                    .isIn(400, 413);
        }
    }

    @Test
    void disabling_an_agent_requeues_its_task_for_others() throws Exception {
        try (TestHub hub = new TestHub()) {
            String rogue = hub.agent("rogue");
            String good = hub.agent("good");
            String id = create(hub, TestHub.ADMIN, Map.of("title", "work"));
            assertThat(hub.post(rogue, "/api/tasks/claim", Map.of()).status()).isEqualTo(200);
            assertThat(hub.post(TestHub.ADMIN, "/api/agents/rogue/disable", Map.of("reason", "leaked"))
                            .status())
                    .isEqualTo(200);
            TestHub.Response r = hub.post(good, "/api/tasks/claim", Map.of());
            assertThat(r.json().path("id").asString()).isEqualTo(id);
            assertThat(r.json().path("task").path("attempts").asInt()).isEqualTo(2);
        }
    }

    @Test
    void tier_two_lets_only_core_agents_claim_tier_three_queues_others_and_tier_four_claims_nothing() throws Exception {
        try (TestHub hub = new TestHub()) {
            String core = hub.agent("core-1", Map.of("core", "true"));
            String other = hub.agent("other");
            String solo = hub.agent("solo");
            for (int i = 0; i < 3; i++) {
                create(hub, TestHub.ADMIN, Map.of("title", "t" + i));
            }
            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "throttled"));
            TestHub.Response refused = hub.post(other, "/api/tasks/claim", Map.of());
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().path("detail").asString()).contains("only core agents (label core=true)");
            assertThat(hub.post(core, "/api/tasks/claim", Map.of()).status()).isEqualTo(200);

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 3, "reason", "budget", "agent", "solo"));
            assertThat(hub.post(other, "/api/tasks/claim?wait=0.2", Map.of()).status())
                    .as("waits in the queue instead of being refused")
                    .isEqualTo(204);
            assertThat(hub.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "queued in tier 3"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(solo, "/api/tasks/claim", Map.of()).status()).isEqualTo(200);

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 4, "reason", "maintenance"));
            TestHub.Response maint = hub.post(solo, "/api/tasks/claim", Map.of());
            assertThat(maint.status()).isEqualTo(503);
            assertThat(maint.json().path("detail").asString()).contains("Nobody claims tasks now");
            assertThat(hub.post(core, "/api/tasks", Map.of("title", "x")).status())
                    .isEqualTo(503);
        }
    }

    @Test
    void a_silent_agents_task_is_queued_again_by_the_reaper_once_its_claim_expires() throws Exception {
        MutableClock clock = MutableClock.atSomeFixedTime();
        try (TestHub hub = TestHub.withClock(clock, Map.of())) {
            String silent = hub.agent("silent");
            String live = hub.agent("live");
            String id = create(hub, TestHub.ADMIN, Map.of("title", "work", "resources", List.of("src/x")));
            assertThat(hub.post(silent, "/api/tasks/claim", Map.of("ttlSeconds", 30))
                            .status())
                    .isEqualTo(200);
            clock.advance(Duration.ofSeconds(29));
            assertThat(hub.hub().services.tasks.reap()).as("not expired yet").isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(hub.hub().services.tasks.reap()).isEqualTo(1);

            JsonNode detail = hub.get(TestHub.ADMIN, "/api/tasks/" + id).json();
            assertThat(detail.path("task").path("state").asString()).isEqualTo("queued");
            assertThat(detail.path("task").path("attempts").asInt()).isEqualTo(1);
            assertThat(detail.path("history").findValuesAsString("kind"))
                    .containsExactly("created", "claimed", "expired");
            TestHub.Response next = hub.post(live, "/api/tasks/claim", Map.of());
            assertThat(next.json().path("id").asString()).isEqualTo(id);
            assertThat(next.json().path("task").path("attempts").asInt()).isEqualTo(2);
            assertThat(hub.get(TestHub.ADMIN, "/api/leases?holder=live").raw().body())
                    .contains("src/x");
        }
    }
}
