package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.redis.LocalRedisServer;
import io.agenthub.tck.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The guide's emergency procedures with real commands: export and import, disabling an agent, rotating keys. */
class EmergencyToolsTest {
    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Test
    void a_populated_hub_survives_export_and_import_into_an_empty_store_with_nothing_lost() throws Exception {
        Path snapshot = Files.createTempFile("hub-snapshot", ".jsonl");
        Path copyDir = Files.createTempDirectory("hub-import");
        Map<String, String> before = new HashMap<>();
        String alice;
        long lastToken;
        try (TestHub hub = new TestHub()) {
            alice = hub.agent("alice");
            String bob = hub.agent("bob");
            hub.post(alice, "/api/heartbeat", Map.of("status", "busy", "currentTask", "fix login"));
            lastToken = hub.post(alice, "/api/leases", Map.of("resource", "src/login.ts", "note", "editing"))
                    .json()
                    .path("token")
                    .asLong();
            hub.post(bob, "/api/leases", Map.of("resource", "docs/"));
            hub.post(alice, "/api/chat", Map.of("channel", "general", "text", "@bob review please"));
            hub.post(bob, "/api/dm", Map.of("to", "alice", "text", "on it"));
            String mem = hub.post(alice, "/api/memories", Map.of("category", "learning", "content", "cache is 5 min"))
                    .json()
                    .path("id")
                    .asString();
            hub.post(alice, "/api/checkpoints", Map.of("currentTask", "fix login", "progress", "repro"));
            hub.post(alice, "/api/errors", Map.of("title", "flaky test", "level", "warning"));
            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "before the move"));
            for (String path : List.of(
                    "/api/agents",
                    "/api/leases",
                    "/api/chat?channel=general",
                    "/api/memories/" + mem,
                    "/api/errors?action=issues",
                    "/api/audit?limit=1000")) {
                before.put(path, hub.get(TestHub.ADMIN, path).raw().body());
            }
            before.put("inbox", hub.get(alice, "/api/inbox").raw().body());
            before.put("checkpoints", hub.get(alice, "/api/checkpoints").raw().body());

            CliRun export = cli("export", "-o", snapshot.toString(), "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(export.code()).isZero();
        }
        List<String> lines = Files.readAllLines(snapshot);
        assertThat(lines.getFirst()).contains("\"format\":\"agent-hub-snapshot\"", "\"version\":1");
        assertThat(lines.getLast()).startsWith("{\"type\":\"end\"");

        CliRun imported = cli("import", snapshot.toString(), "--data-dir", copyDir.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("agent=2", "memory=1", "message=3", "trace=");
        CliRun again = cli("import", snapshot.toString(), "--data-dir", copyDir.toString());
        assertThat(again.code())
                .as("a second import into a non-empty store is refused")
                .isEqualTo(2);
        assertThat(again.err()).contains("already holds data");

        try (TestHub copy = TestHub.onDataDir(copyDir)) {
            for (Map.Entry<String, String> e : before.entrySet()) {
                String path = e.getKey();
                String now = path.equals("inbox")
                        ? copy.get(alice, "/api/inbox").raw().body()
                        : path.equals("checkpoints")
                                ? copy.get(alice, "/api/checkpoints").raw().body()
                                : copy.get(TestHub.ADMIN, path).raw().body();
                if (path.startsWith("/api/agents")) {
                    assertThat(strip(now, "lastSeen", "presence", "presenceSince"))
                            .isEqualTo(strip(e.getValue(), "lastSeen", "presence", "presenceSince"));
                } else if (path.startsWith("/api/audit")) {
                    assertThat(now)
                            .startsWith(e.getValue().substring(0, e.getValue().length() - 2));
                } else {
                    assertThat(now).as(path).isEqualTo(e.getValue());
                }
            }
            assertThat(copy.get(alice, "/api/tier").json().path("tier").asInt()).isEqualTo(2);
            copy.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "moved"));
            long next = copy.post(alice, "/api/leases", Map.of("resource", "new.txt"))
                    .json()
                    .path("token")
                    .asLong();
            assertThat(next).as("fencing continues above the imported tokens").isGreaterThan(lastToken + 1);

            Path second = Files.createTempFile("hub-snapshot-2", ".jsonl");
            assertThat(cli("export", "-o", second.toString(), "--url", copy.url(), "--token", TestHub.ADMIN)
                            .code())
                    .isZero();
            Map<String, Long> originalCounts = counts(lines);
            Map<String, Long> secondCounts = counts(Files.readAllLines(second));
            assertThat(secondCounts.get("agent")).isEqualTo(originalCounts.get("agent"));
            assertThat(secondCounts.get("memory")).isEqualTo(originalCounts.get("memory"));
            assertThat(secondCounts.get("message")).isGreaterThanOrEqualTo(originalCounts.get("message"));
        }
    }

    @Test
    void an_offline_export_reads_a_stopped_hubs_store_and_refuses_a_running_one() throws Exception {
        TestHub hub = new TestHub();
        hub.agent("alice");
        Path dir = hub.dataDir();
        CliRun running = cli(
                "export",
                "--offline",
                "--data-dir",
                dir.toString(),
                "-o",
                dir.resolve("x.jsonl").toString());
        assertThat(running.code()).isEqualTo(2);
        assertThat(running.err()).contains("Another hub is running");
        hub.close();
        Path out = Files.createTempFile("offline", ".jsonl");
        CliRun offline = cli("export", "--offline", "--data-dir", dir.toString(), "-o", out.toString());
        assertThat(offline.code()).as(offline.err()).isZero();
        assertThat(Files.readString(out)).contains("\"type\":\"agent\"", "\"id\":\"alice\"");
    }

    @Test
    void disabling_an_agent_revokes_its_tokens_and_releases_its_leases() throws Exception {
        try (TestHub hub = new TestHub()) {
            String rogue = hub.agent("rogue");
            String other = hub.agent("other");
            hub.post(rogue, "/api/leases", Map.of("resource", "src/secrets.ts"));
            CliRun r = cli(
                    "agent",
                    "disable",
                    "rogue",
                    "--reason",
                    "leaked token",
                    "--url",
                    hub.url(),
                    "--token",
                    TestHub.ADMIN);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("revoked 1 token(s), released 1 lease(s)");
            assertThat(hub.get(rogue, "/api/whoami").status()).isEqualTo(401);
            assertThat(hub.post(other, "/api/leases", Map.of("resource", "src/secrets.ts"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.get(TestHub.ADMIN, "/api/audit?limit=100").raw().body())
                    .contains("agent.disable", "leaked token", "lease.reaped");
            assertThat(hub.get(TestHub.ADMIN, "/api/chat?channel=ops").raw().body())
                    .contains("Agent rogue was disabled by admin: leaked token");
            assertThat(hub.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                            .status())
                    .as("no new token while it is disabled")
                    .isEqualTo(403);
            hub.post(TestHub.ADMIN, "/api/agents/rogue/enable", Map.of());
            String fresh = hub.post(TestHub.ADMIN, "/api/agents/rogue/tokens", Map.of())
                    .json()
                    .path("token")
                    .asString();
            assertThat(hub.get(fresh, "/api/whoami").status())
                    .as("enabled, then a new token")
                    .isEqualTo(200);
        }
    }

    @Test
    void key_rotation_keeps_the_old_keys_for_the_overlap_and_updates_the_generated_token_file() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestHub hub = TestHub.withClock(clock, Map.of("admin-token", ""))) {
            Path file = hub.dataDir().resolve("admin-token");
            String oldAdmin = Files.readString(file).strip();
            String joinKey = hub.post(oldAdmin, "/api/join-keys", Map.of("label", "fleet"))
                    .json()
                    .path("joinKey")
                    .asString();
            CliRun r = cli("keys", "rotate", "--overlap", "30m", "--url", hub.url(), "--token", oldAdmin);
            assertThat(r.code()).as(r.err()).isZero();
            String newAdmin = r.out().strip();
            assertThat(newAdmin).startsWith("aha_").isNotEqualTo(oldAdmin);
            assertThat(Files.readString(file).strip()).isEqualTo(newAdmin);
            assertThat(r.err()).contains("new join key for fleet");

            assertThat(hub.get(oldAdmin, "/api/join-keys").status())
                    .as("during the overlap")
                    .isEqualTo(200);
            assertThat(hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", "early"))
                            .status())
                    .isEqualTo(201);
            clock.advance(Duration.ofMinutes(31));
            assertThat(hub.get(oldAdmin, "/api/join-keys").status()).isEqualTo(401);
            assertThat(hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", "late"))
                            .status())
                    .isEqualTo(403);
            assertThat(hub.get(newAdmin, "/api/join-keys").status()).isEqualTo(200);
            assertThat(hub.get(newAdmin, "/api/audit?limit=100").raw().body()).contains("keys.rotate");

            hub.restart();
            assertThat(hub.get(newAdmin, "/api/whoami").status())
                    .as("the new token survives a restart")
                    .isEqualTo(200);
            assertThat(hub.get(oldAdmin, "/api/whoami").status()).isEqualTo(401);
        }
    }

    @Test
    void a_join_key_revoked_within_its_overlap_and_a_second_rotation_without_overlap_take_effect_at_once()
            throws Exception {
        try (TestHub hub = new TestHub()) {
            rotateTwice(hub, hub);
        }
    }

    @Test
    void on_redis_rotations_and_revocations_within_the_overlap_hold_across_two_nodes() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        Map<String, String> settings = Map.of("redis-url", redis.url(), "redis-prefix", redis.freshPrefix());
        try (TestHub one = new TestHub(settings, java.time.Clock.systemUTC());
                TestHub two = new TestHub(settings, java.time.Clock.systemUTC())) {
            rotateTwice(one, two);
        }
    }

    /**
     * Rotates with an hour of overlap on node {@code one}, revokes an old join key within the overlap on {@code two},
     * then rotates again without overlap on {@code two}: every older credential is refused at once. Node {@code one} is
     * asked only about credentials it has not cached.
     */
    private static void rotateTwice(TestHub one, TestHub two) {
        JsonNode fleet = one.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "fleet"))
                .json();
        String ciKey = one.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "ci"))
                .json()
                .path("joinKey")
                .asString();
        JsonNode first = one.post(TestHub.ADMIN, "/api/keys/rotate", Map.of("overlapSeconds", 3600))
                .json();
        String admin1 = first.path("adminToken").asString();
        assertThat(first.path("joinKeys").size()).isEqualTo(2);

        assertThat(two.get(TestHub.ADMIN, "/api/whoami").status())
                .as("the old admin token within the overlap")
                .isEqualTo(200);
        assertThat(enroll(two, fleet.path("joinKey").asString(), "early")).isEqualTo(201);
        assertThat(two.delete(admin1, "/api/join-keys/" + fleet.path("id").asString())
                        .status())
                .as("an old join key revoked within its overlap")
                .isEqualTo(200);
        assertThat(enroll(one, fleet.path("joinKey").asString(), "late")).isEqualTo(403);
        assertThat(enroll(one, ciKey, "ci-early")).isEqualTo(201);

        JsonNode second = two.post(admin1, "/api/keys/rotate", Map.of("overlapSeconds", 0))
                .json();
        assertThat(second.path("joinKeys").size())
                .as("only the keys of the first rotation are replaced again")
                .isEqualTo(2);
        assertThat(two.get(TestHub.ADMIN, "/api/whoami").status())
                .as("the first admin token, its overlap cut short")
                .isEqualTo(401);
        assertThat(one.get(admin1, "/api/whoami").status()).isEqualTo(401);
        assertThat(one.get(second.path("adminToken").asString(), "/api/whoami").status())
                .isEqualTo(200);
        assertThat(enroll(one, ciKey, "ci-late")).as("its overlap cut short").isEqualTo(403);
        for (var key : first.path("joinKeys").properties()) {
            assertThat(enroll(one, key.getValue().asString(), "again")).isEqualTo(403);
        }
        for (var key : second.path("joinKeys").properties()) {
            assertThat(enroll(
                            one,
                            key.getValue().asString(),
                            "new-" + key.getKey().substring(0, 2)))
                    .isEqualTo(201);
        }
    }

    private static int enroll(TestHub hub, String joinKey, String id) {
        return hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", id))
                .status();
    }

    private static Map<String, Long> counts(List<String> lines) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : lines) {
            JsonNode n = io.agenthub.server.wire.JsonCodec.MAPPER.readTree(line);
            if (n.has("data")) {
                out.merge(n.path("type").asString(), 1L, Long::sum);
            }
        }
        return out;
    }

    private static String strip(String json, String... fields) {
        String out = json;
        for (String f : fields) {
            out = out.replaceAll("\"" + f + "\":\"[^\"]*\"", "\"" + f + "\":\"\"");
        }
        return out;
    }
}
