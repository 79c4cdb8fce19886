package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A disabled agent stays disabled: no enrolment, no token, until an admin enables it. Through REST and the CLI. */
class AgentDisableTest {
    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private static CliRun admin(TestHub hub, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = hub.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = TestHub.ADMIN;
        return cli(all);
    }

    private static JsonNode agentIn(TestHub hub, String id) {
        for (JsonNode a : hub.get(TestHub.ADMIN, "/api/agents").json().path("agents")) {
            if (a.path("id").asString().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + id + " in GET /api/agents");
    }

    private static String joinKey(TestHub hub) {
        return hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "fleet"))
                .json()
                .path("joinKey")
                .asString();
    }

    @Test
    void a_disabled_agent_gets_no_token_and_cannot_enrol_until_an_admin_enables_it() throws Exception {
        try (TestHub hub = new TestHub()) {
            String rogue = hub.agent("rogue");
            hub.post(rogue, "/api/leases", Map.of("resource", "src/secrets.ts"));
            String key = joinKey(hub);

            TestHub.Response disabled =
                    hub.post(TestHub.ADMIN, "/api/agents/rogue/disable", Map.of("reason", "leaked token"));
            assertThat(disabled.status()).isEqualTo(200);
            assertThat(disabled.json().path("disabled").path("by").asString()).isEqualTo("admin");
            assertThat(disabled.json().path("revokedTokens").asInt()).isEqualTo(1);
            assertThat(hub.post(rogue, "/api/heartbeat", Map.of()).status())
                    .as("its old token")
                    .isEqualTo(401);

            JsonNode listed = agentIn(hub, "rogue");
            assertThat(listed.path("disabled").path("by").asString()).isEqualTo("admin");
            assertThat(listed.path("disabled").path("reason").asString()).isEqualTo("leaked token");
            assertThat(listed.path("disabled").path("at").asString()).isNotEmpty();
            assertThat(hub.get(TestHub.ADMIN, "/api/agents/rogue")
                            .json()
                            .path("agent")
                            .path("disabled")
                            .path("reason")
                            .asString())
                    .isEqualTo("leaked token");

            TestHub.Response token = hub.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of());
            assertThat(token.status()).isEqualTo(403);
            assertThat(token.json().path("code").asString()).isEqualTo("agent_disabled");
            assertThat(token.json().path("detail").asString())
                    .contains("Agent rogue was disabled by admin", "leaked token", "hub agent enable rogue");
            assertThat(token.json().has("token")).isFalse();

            TestHub.Response enrol = hub.post(null, "/api/agents/enroll", Map.of("joinKey", key, "id", "rogue"));
            assertThat(enrol.status()).isEqualTo(403);
            assertThat(enrol.json().path("code").asString()).isEqualTo("agent_disabled");
            assertThat(enrol.json().path("detail").asString())
                    .contains("Agent rogue is disabled", "An admin must enable it first")
                    .as("the admin's reason is not shown to holders of a join key")
                    .doesNotContain("leaked token");

            java.util.List<String> actions = new java.util.ArrayList<>();
            for (JsonNode e :
                    hub.get(TestHub.ADMIN, "/api/audit?limit=1000").json().path("events")) {
                if (e.path("subject").asString().equals("rogue")) {
                    actions.add(e.path("action").asString());
                }
            }
            assertThat(actions)
                    .contains("agent.disable", "agent.enroll.refused")
                    .as("the refused token was never issued")
                    .doesNotContain("token.issue");

            TestHub.Response enabled =
                    hub.post(TestHub.ADMIN, "/api/agents/rogue/enable", Map.of("reason", "rotated and reviewed"));
            assertThat(enabled.status()).isEqualTo(200);
            assertThat(enabled.json().path("wasDisabled").asBoolean()).isTrue();
            assertThat(enabled.json().path("cleared").path("reason").asString()).isEqualTo("leaked token");
            assertThat(agentIn(hub, "rogue").path("disabled").isNull()).isTrue();
            assertThat(hub.post(rogue, "/api/heartbeat", Map.of()).status())
                    .as("enabling does not bring old tokens back")
                    .isEqualTo(401);
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=1000").raw().body())
                    .contains("agent.enable", "rotated and reviewed");
            assertThat(hub.get(TestHub.ADMIN, "/api/chat?channel=ops").raw().body())
                    .contains("Agent rogue was enabled again by admin: rotated and reviewed");

            String fresh = hub.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                    .json()
                    .path("token")
                    .asString();
            assertThat(hub.post(fresh, "/api/heartbeat", Map.of()).status()).isEqualTo(200);

            TestHub.Response again = hub.post(TestHub.ADMIN, "/api/agents/rogue/enable", Map.of());
            assertThat(again.json().path("wasDisabled").asBoolean())
                    .as("enabling an enabled agent changes nothing")
                    .isFalse();
            assertThat(hub.post(TestHub.ADMIN, "/api/agents/ghost/enable", Map.of())
                            .status())
                    .isEqualTo(404);
            assertThat(hub.post(fresh, "/api/agents/rogue/enable", Map.of()).status())
                    .as("only admins enable")
                    .isEqualTo(403);
        }
    }

    @Test
    void a_disabled_agent_is_not_offered_as_a_team_mate_in_hot_start_or_the_digest() throws Exception {
        try (TestHub hub = new TestHub()) {
            String rogue = hub.agent("rogue");
            String peer = hub.agent("peer");
            hub.post(rogue, "/api/heartbeat", Map.of("status", "busy", "currentTask", "exfiltrating"));
            hub.post(peer, "/api/heartbeat", Map.of());
            assertThat(hub.get(peer, "/api/hot-start").json().path("team").toString())
                    .contains("rogue");
            assertThat(hub.get(TestHub.ADMIN, "/api/digest?agentId=ops")
                            .json()
                            .path("online")
                            .toString())
                    .contains("rogue");

            hub.post(TestHub.ADMIN, "/api/agents/rogue/disable", Map.of("reason", "leaked token"));

            assertThat(hub.get(peer, "/api/hot-start").json().path("team").toString())
                    .doesNotContain("rogue");
            assertThat(hub.get(TestHub.ADMIN, "/api/digest?agentId=ops")
                            .json()
                            .path("online")
                            .toString())
                    .doesNotContain("rogue")
                    .contains("peer");
        }
    }

    @Test
    void the_disabled_mark_survives_a_restart_and_shows_in_status_and_metrics() throws Exception {
        try (TestHub hub =
                new TestHub(Map.of("metrics-token", "scrape-token-0123456789abcdef"), java.time.Clock.systemUTC())) {
            hub.agent("rogue");
            String good = hub.agent("good");
            hub.post(good, "/api/heartbeat", Map.of());
            hub.post(TestHub.ADMIN, "/api/agents/rogue/disable", Map.of("reason", "compromised"));
            hub.restart();
            assertThat(agentIn(hub, "rogue").path("disabled").path("reason").asString())
                    .isEqualTo("compromised");
            assertThat(hub.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                            .status())
                    .isEqualTo(403);
            JsonNode agentCount = null;
            for (JsonNode m : hub.get(TestHub.ADMIN, "/api/status").json().path("metrics")) {
                if (m.path("name").asString().equals("agentCount")) {
                    agentCount = m;
                }
            }
            assertThat(agentCount).isNotNull();
            assertThat(agentCount.path("basis").asString()).contains("of 2 agents online (1 disabled)");
            assertThat(hub.get("scrape-token-0123456789abcdef", "/metrics")
                            .raw()
                            .body())
                    .contains("hub_agents_disabled 1.0");
        }
    }

    @Test
    void the_cli_disables_lists_refuses_a_token_and_enables() throws Exception {
        try (TestHub hub = new TestHub()) {
            hub.agent("rogue");
            hub.agent("other");
            CliRun disable = admin(hub, "agent", "disable", "rogue", "--reason", "leaked token");
            assertThat(disable.code()).as(disable.err()).isZero();
            assertThat(disable.out()).contains("Disabled rogue", "stays disabled until 'hub agent enable rogue'");

            CliRun agents = admin(hub, "agents");
            assertThat(agents.out()).contains("DISABLED by admin", "2 agent(s), 1 disabled");
            CliRun status = admin(hub, "status");
            assertThat(status.out()).contains("disabled=1");

            CliRun token = admin(hub, "agent", "token", "rogue");
            assertThat(token.code()).isEqualTo(2);
            assertThat(token.err()).contains("HTTP 403", "Agent rogue was disabled by admin", "hub agent enable rogue");
            assertThat(token.out()).isEmpty();

            CliRun enable = admin(hub, "agent", "enable", "rogue", "--reason", "cleaned up");
            assertThat(enable.code()).as(enable.err()).isZero();
            assertThat(enable.out()).contains("Enabled rogue", "leaked token", "hub agent token rogue");
            CliRun noop = admin(hub, "agent", "enable", "rogue");
            assertThat(noop.out()).contains("rogue was not disabled; nothing changed.");

            CliRun issued = admin(hub, "agent", "token", "rogue");
            assertThat(issued.code()).as(issued.err()).isZero();
            assertThat(hub.get(issued.out().strip(), "/api/whoami")
                            .json()
                            .path("id")
                            .asString())
                    .isEqualTo("rogue");
        }
    }

    @Test
    void a_disabled_agent_stays_disabled_through_export_and_import() throws Exception {
        Path snapshot = Files.createTempFile("hub-disabled", ".jsonl");
        Path copyDir = Files.createTempDirectory("hub-disabled-import");
        try (TestHub hub = new TestHub()) {
            hub.agent("rogue");
            hub.agent("other");
            hub.post(TestHub.ADMIN, "/api/agents/rogue/disable", Map.of("reason", "leaked token"));
            assertThat(admin(hub, "export", "-o", snapshot.toString()).code()).isZero();
        }
        assertThat(Files.readString(snapshot)).contains("\"reason\":\"leaked token\"");
        CliRun imported = cli("import", snapshot.toString(), "--data-dir", copyDir.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        try (TestHub copy = TestHub.onDataDir(copyDir)) {
            assertThat(agentIn(copy, "rogue").path("disabled").path("reason").asString())
                    .isEqualTo("leaked token");
            assertThat(agentIn(copy, "other").path("disabled").isNull()).isTrue();
            assertThat(copy.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                            .status())
                    .isEqualTo(403);
            assertThat(copy.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey(copy), "id", "rogue"))
                            .status())
                    .isEqualTo(403);
        }
    }

    @Test
    void on_redis_the_mark_is_shared_by_every_node_and_kept_across_restarts() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings = Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix());
        try (TestHub a = new TestHub(settings, java.time.Clock.systemUTC());
                TestHub b = new TestHub(settings, java.time.Clock.systemUTC())) {
            String rogue = a.agent("rogue");
            String key = joinKey(a);
            assertThat(a.post(TestHub.ADMIN, "/api/agents/rogue/disable", Map.of("reason", "leaked token"))
                            .status())
                    .isEqualTo(200);
            assertThat(agentIn(b, "rogue").path("disabled").path("reason").asString())
                    .isEqualTo("leaked token");
            assertThat(b.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                            .status())
                    .isEqualTo(403);
            assertThat(b.post(null, "/api/agents/enroll", Map.of("joinKey", key, "id", "rogue"))
                            .status())
                    .isEqualTo(403);
            b.restart();
            assertThat(agentIn(b, "rogue").path("disabled").path("by").asString())
                    .isEqualTo("admin");
            b.post(rogue, "/api/heartbeat", Map.of());
            assertThat(agentIn(a, "rogue").path("disabled").isObject())
                    .as("a refused heartbeat does not clear the mark")
                    .isTrue();

            assertThat(b.post(TestHub.ADMIN, "/api/agents/rogue/enable", Map.of())
                            .status())
                    .isEqualTo(200);
            String fresh = a.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                    .json()
                    .path("token")
                    .asString();
            assertThat(b.post(fresh, "/api/heartbeat", Map.of()).status()).isEqualTo(200);
            assertThat(agentIn(a, "rogue").path("disabled").isNull()).isTrue();
        }
    }
}
