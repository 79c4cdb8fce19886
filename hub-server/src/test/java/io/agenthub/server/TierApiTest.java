package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tier.Work;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Degradation tiers enforced on real requests: who may take new work, who may write, what always works. */
class TierApiTest {
    @Test
    void tier_two_lets_only_core_agents_take_new_work() throws Exception {
        try (TestHub hub = new TestHub()) {
            String core = tokenWithLabels(hub, "core-1", Map.of("core", "true"));
            String other = hub.agent("other-1");
            TestHub.Response set =
                    hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "LLM API throttled"));
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.json().path("tier").asInt()).isEqualTo(2);

            TestHub.Response refused = hub.post(other, "/api/leases", Map.of("resource", "a.txt"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("60");
            assertThat(refused.json().path("code").asString()).isEqualTo("tier_restricted");
            assertThat(refused.json().path("tier").asInt()).isEqualTo(2);
            assertThat(refused.json().path("detail").asString())
                    .contains("tier 2 (reduced)", "LLM API throttled", "core=true");
            assertThat(refused.header("Hub-Tier")).isEqualTo("2");
            assertThat(hub.post(core, "/api/leases", Map.of("resource", "a.txt"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(other, "/api/chat", Map.of("channel", "general", "text", "still here"))
                            .status())
                    .isEqualTo(201);

            JsonNode tier = hub.get(other, "/api/tier").json();
            assertThat(tier.path("name").asString()).isEqualTo("reduced");
            assertThat(tier.path("setBy").asString()).isEqualTo("admin");
            assertThat(tier.path("history").size()).isEqualTo(1);
            assertThat(hub.get(TestHub.ADMIN, "/api/chat?channel=ops").raw().body())
                    .contains("Tier 2 (reduced) is now in force (was 1), set by admin: LLM API throttled.");
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=100").raw().body())
                    .contains("tier.set");
            assertThat(hub.post(other, "/api/tier", Map.of("tier", 1, "reason", "x"))
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void tier_three_lets_one_designated_agent_work() throws Exception {
        try (TestHub hub = new TestHub()) {
            String solo = hub.agent("solo");
            String other = hub.agent("other-1");
            assertThat(hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 3, "reason", "budget"))
                            .status())
                    .as("tier 3 needs an agent")
                    .isEqualTo(400);
            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 3, "reason", "budget", "agent", "solo"));
            assertThat(hub.post(solo, "/api/leases", Map.of("resource", "x")).status())
                    .isEqualTo(201);
            TestHub.Response refused = hub.post(other, "/api/leases", Map.of("resource", "y"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().path("detail").asString()).contains("only solo takes new work");
        }
    }

    @Test
    void tier_four_is_read_only_except_for_upkeep_and_admins() throws Exception {
        try (TestHub hub = new TestHub()) {
            String a = hub.agent("a1");
            long token = hub.post(a, "/api/leases", Map.of("resource", "held.txt"))
                    .json()
                    .path("token")
                    .asLong();
            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 4, "reason", "data inconsistency"));

            assertThat(hub.post(a, "/api/chat", Map.of("channel", "general", "text", "hi"))
                            .status())
                    .isEqualTo(503);
            assertThat(hub.post(a, "/api/memories", Map.of("category", "learning", "content", "x"))
                            .status())
                    .isEqualTo(503);
            assertThat(hub.post(a, "/api/leases", Map.of("resource", "new.txt")).status())
                    .isEqualTo(503);
            assertThat(hub.post(a, "/api/leases/renew", Map.of("resource", "held.txt", "token", token))
                            .status())
                    .isEqualTo(503);
            assertThat(hub.post(a, "/api/heartbeat", Map.of("status", "idle")).status())
                    .isEqualTo(200);
            assertThat(hub.post(a, "/api/checkpoints", Map.of("currentTask", "paused"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(a, "/api/errors", Map.of("title", "paused mid-task"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(a, "/api/leases/release", Map.of("resource", "held.txt", "token", token))
                            .status())
                    .isEqualTo(200);
            assertThat(hub.get(a, "/api/chat?channel=general").status()).isEqualTo(200);
            assertThat(hub.get(a, "/api/leases").status()).isEqualTo(200);
            assertThat(hub.post(TestHub.ADMIN, "/api/chat", Map.of("channel", "general", "text", "maintenance"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(null, "/api/agents/enroll", Map.of("joinKey", "ahj_x", "id", "late"))
                            .status())
                    .as("enrolment is a write")
                    .isEqualTo(503);

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "reconciled"));
            assertThat(hub.post(a, "/api/chat", Map.of("channel", "general", "text", "back"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.get(a, "/api/health").header("Hub-Tier")).isEqualTo("1");
        }
    }

    @Test
    void every_route_declares_its_work_and_new_work_is_taking_a_lease_or_a_handoff() throws Exception {
        try (TestHub hub = new TestHub()) {
            Map<String, Work> works = hub.hub().routeWork();
            assertThat(works.entrySet().stream()
                            .filter(e -> e.getValue() == Work.NEW_WORK)
                            .map(Map.Entry::getKey))
                    .containsExactlyInAnyOrder("POST /api/leases", "POST /api/handoffs/{id}/accept");
            assertThat(works)
                    .containsEntry("POST /api/heartbeat", Work.UPKEEP)
                    .containsEntry("POST /api/leases/release", Work.UPKEEP)
                    .containsEntry("POST /api/checkpoints", Work.UPKEEP)
                    .containsEntry("POST /api/errors", Work.UPKEEP)
                    .containsEntry("POST /api/inbox/ack", Work.UPKEEP)
                    .containsEntry("POST /api/usage", Work.UPKEEP)
                    .containsEntry("POST /api/handoffs", Work.UPKEEP)
                    .containsEntry("POST /api/handoffs/transfer", Work.UPKEEP)
                    .containsEntry("POST /api/handoffs/{id}/decline", Work.UPKEEP)
                    .containsEntry("POST /api/handoffs/{id}/complete", Work.UPKEEP)
                    .containsEntry("POST /api/handoffs/{id}/cancel", Work.UPKEEP)
                    .containsEntry("POST /api/chat", Work.WRITE)
                    .containsEntry("GET /api/chat", Work.READ);
        }
    }

    @Test
    void accepting_a_handoff_is_new_work_while_handing_over_and_usage_reports_go_through_in_every_tier()
            throws Exception {
        try (TestHub hub = new TestHub()) {
            String sender = hub.agent("sender");
            String core = tokenWithLabels(hub, "core-1", Map.of("core", "true"));
            String other = hub.agent("other-1");
            String solo = hub.agent("solo");

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "LLM API throttled"));
            String toOther = handOver(hub, sender, "other-1");
            TestHub.Response refused = hub.post(other, "/api/handoffs/" + toOther + "/accept", Map.of());
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("60");
            assertThat(refused.json().path("code").asString()).isEqualTo("tier_restricted");
            assertThat(refused.json().path("detail").asString())
                    .contains("tier 2 (reduced)", "only core agents (label core=true) take new work");
            assertThat(hub.get(other, "/api/handoffs/" + toOther)
                            .json()
                            .path("status")
                            .asString())
                    .as("still waiting for someone who may take it")
                    .isEqualTo("pending");
            assertThat(hub.post(core, "/api/handoffs/" + handOver(hub, sender, "core-1") + "/accept", Map.of())
                            .status())
                    .isEqualTo(200);
            assertThat(report(hub, other)).isEqualTo(200);

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 3, "reason", "budget", "agent", "solo"));
            assertThat(hub.post(other, "/api/handoffs/" + toOther + "/accept", Map.of())
                            .json()
                            .path("detail")
                            .asString())
                    .contains("tier 3 (minimal)", "only solo takes new work");
            String toSolo = handOver(hub, sender, "solo");
            assertThat(hub.post(solo, "/api/handoffs/" + toSolo + "/accept", Map.of())
                            .status())
                    .isEqualTo(200);
            assertThat(report(hub, other)).isEqualTo(200);

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 4, "reason", "data inconsistency"));
            String late = handOver(hub, sender, "solo");
            TestHub.Response readOnly = hub.post(solo, "/api/handoffs/" + late + "/accept", Map.of());
            assertThat(readOnly.status()).isEqualTo(503);
            assertThat(readOnly.json().path("detail").asString())
                    .contains("tier 4 (maintenance)", "usage reports and handing work over");
            assertThat(report(hub, solo)).isEqualTo(200);
            assertThat(hub.post(solo, "/api/handoffs/" + toSolo + "/complete", Map.of("note", "done"))
                            .status())
                    .isEqualTo(200);
            assertThat(hub.post(solo, "/api/handoffs/" + late + "/decline", Map.of("reason", "paused"))
                            .status())
                    .isEqualTo(200);
            assertThat(hub.post(sender, "/api/handoffs/" + toOther + "/cancel", Map.of("note", "later"))
                            .status())
                    .isEqualTo(200);

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "reconciled"));
            assertThat(hub.post(other, "/api/handoffs/" + handOver(hub, sender, "other-1") + "/accept", Map.of())
                            .status())
                    .isEqualTo(200);
        }
    }

    /** Hands work over from {@code token} to {@code to} (upkeep in every tier) and returns the handoff id. */
    private static String handOver(TestHub hub, String token, String to) {
        TestHub.Response r = hub.post(token, "/api/handoffs", Map.of("to", to, "title", "work for " + to));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private static int report(TestHub hub, String token) {
        return hub.post(token, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 100))
                .status();
    }

    private static String tokenWithLabels(TestHub hub, String id, Map<String, String> labels) {
        return hub.post(TestHub.ADMIN, "/api/agents", Map.of("id", id, "labels", labels))
                .json()
                .path("token")
                .asString();
    }
}
