package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.Cli;
import io.agenthub.drill.DrillRun;
import io.agenthub.drill.DrillStep;
import io.agenthub.store.redis.LocalRedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The coordination drill on a live hub, on both backends: every step passes, nothing of it is left in the hub's own
 * namespace, the run is stored and posted to the ops channel; {@code hub drill} prints the scored report; the schedule
 * runs it; a failed drill raises DrillFailed.
 */
class DrillTest {
    enum Backend {
        SQLITE,
        REDIS
    }

    private static TestHub hub(Backend backend, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("rate-limit-chat", "0");
        if (backend == Backend.REDIS) {
            LocalRedisServer redis = LocalRedisServer.shared();
            all.put("redis-url", redis.url());
            all.put("redis-prefix", redis.freshPrefix());
        }
        return new TestHub(all, Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void every_step_passes_and_nothing_is_left_in_the_live_namespace(Backend backend) throws Exception {
        try (TestHub hub = hub(backend, Map.of())) {
            hub.agent("real-agent");
            TestHub.Response r = hub.post(TestHub.ADMIN, "/api/drills", Map.of());
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            JsonNode run = r.json();
            List<String> failures = new ArrayList<>();
            for (JsonNode s : run.path("steps")) {
                if (s.path("status").asString().equalsIgnoreCase("fail")) {
                    failures.add(
                            s.path("name").asString() + ": " + s.path("message").asString());
                }
            }
            assertThat(failures).as("failed steps").isEmpty();
            assertThat(run.path("ok").asBoolean()).isTrue();
            assertThat(run.path("score").asInt()).isBetween(50, 100);
            assertThat(run.path("steps").findValuesAsString("name"))
                    .contains(
                            "register",
                            "claim-conflict",
                            "chat-mention",
                            "handoff",
                            "task-lifecycle",
                            "checkpoint",
                            "kill-handoff",
                            "restart-soul",
                            "budget-level",
                            "tier-change",
                            "tier-live",
                            "canary-step",
                            "cleanup");
            JsonNode tierLive = step(run, "tier-live");
            assertThat(tierLive.path("status").asString()).isEqualToIgnoringCase("skip");
            assertThat(tierLive.path("message").asString()).contains("--live-tier");

            String id = run.path("id").asString();
            JsonNode agents = hub.get(TestHub.ADMIN, "/api/agents").json();
            assertThat(agents.toString()).doesNotContain(id).contains("real-agent");
            assertThat(hub.get(TestHub.ADMIN, "/api/leases").json().toString()).doesNotContain(id);
            assertThat(hub.get(TestHub.ADMIN, "/api/tier").json().path("tier").asInt())
                    .isEqualTo(1);
            if (backend == Backend.SQLITE) {
                assertThat(hub.dataDir().resolve("scratch").toFile().list())
                        .as("the drill's scratch namespace is deleted")
                        .isEmpty();
            }

            JsonNode history = hub.get(hub.viewer("ops"), "/api/drills").json().path("drills");
            assertThat(history.size()).isEqualTo(1);
            assertThat(history.get(0).path("id").asString()).isEqualTo(id);
            assertThat(history.get(0).path("trigger").asString()).isEqualTo("request");
            String chat = hub.get(TestHub.ADMIN, "/api/chat?channel=ops&limit=100")
                    .raw()
                    .body();
            assertThat(chat).contains("Coordination drill " + id + ": score ");
        }
    }

    @Test
    void live_tier_changes_the_hub_tier_and_back_only_when_asked() throws Exception {
        try (TestHub hub = hub(Backend.SQLITE, Map.of())) {
            JsonNode run = hub.post(TestHub.ADMIN, "/api/drills", Map.of("liveTier", true))
                    .json();
            assertThat(step(run, "tier-live").path("status").asString())
                    .as(run.toString())
                    .isEqualToIgnoringCase("pass");
            JsonNode tier = hub.get(TestHub.ADMIN, "/api/tier?limit=5").json();
            assertThat(tier.path("tier").asInt()).isEqualTo(1);
            assertThat(tier.path("history").toString())
                    .contains("coordination drill " + run.path("id").asString());
            assertThat(hub.post(hub.agent("a1"), "/api/drills", Map.of()).status())
                    .as("only admins run drills")
                    .isEqualTo(403);
        }
    }

    @Test
    void hub_drill_prints_the_scored_report_and_the_history() throws Exception {
        try (TestHub hub = hub(Backend.SQLITE, Map.of())) {
            String out = cli("drill", "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(out).contains("STEP", "kill-handoff", "restart-soul", "Score ", "/100");
            String history = cli("drill", "--history", "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(history).contains("DRILL", "request");
        }
    }

    @Test
    void the_hub_schedules_the_drill() throws Exception {
        try (TestHub hub = hub(Backend.SQLITE, Map.of("drill-interval", "1s"))) {
            JsonNode drills = null;
            for (int i = 0; i < 600; i++) {
                drills = hub.get(TestHub.ADMIN, "/api/drills").json().path("drills");
                if (drills.size() > 0) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(drills.size()).isGreaterThan(0);
            assertThat(drills.get(0).path("trigger").asString()).isEqualTo("schedule");
        }
    }

    @Test
    void a_failed_drill_raises_drill_failed() throws Exception {
        try (TestHub hub = hub(Backend.SQLITE, Map.of())) {
            DrillRun failed = DrillRun.of(
                    "drill-broken",
                    "schedule",
                    "n1",
                    Instant.now(),
                    10,
                    List.of(DrillStep.scored("handoff", DrillStep.Status.FAIL, 5, 2000, "no handoff")));
            hub.hub().services.stores.drills().save(failed, 10);
            hub.hub().ops.evaluate();
            JsonNode alerts = hub.get(TestHub.ADMIN, "/api/alerts").json();
            assertThat(alerts.path("firing").toString()).contains("DrillFailed");
            hub.post(TestHub.ADMIN, "/api/drills", Map.of());
            hub.hub().ops.evaluate();
            assertThat(hub.get(TestHub.ADMIN, "/api/alerts")
                            .json()
                            .path("firing")
                            .toString())
                    .doesNotContain("DrillFailed");
        }
    }

    private static JsonNode step(JsonNode run, String name) {
        for (JsonNode s : run.path("steps")) {
            if (s.path("name").asString().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + run);
    }

    /** Runs the command line and returns what it printed. */
    static String cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Cli.run(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
