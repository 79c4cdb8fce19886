package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.alert.AlertEvent;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.store.redis.LocalRedisServer;
import io.agenthub.tck.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The move between backends with real commands: a hub populated on SQLite through its API is exported, imported
 * into an empty Redis prefix, served from there, exported again and imported into a new SQLite data directory, and
 * every snapshot on the way holds the same records.
 */
class SnapshotAcrossBackendsTest {
    /** claude-haiku-4-5 costs $1 per million input tokens: one dollar per report. */
    private static final Map<String, Object> ONE_DOLLAR =
            Map.of("model", "claude-haiku-4-5", "inputTokens", 1_000_000, "contextTokens", 1000);

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    /** Settings of both hubs: small budgets, and no background reaping or alerting between the steps. */
    private static Map<String, String> settings(Map<String, String> more) {
        Map<String, String> s = new HashMap<>(Map.of(
                "reaper-interval", "1h",
                "alert-interval", "1h",
                "budget-info-usd", "1",
                "budget-warn-usd", "2",
                "agent-budgets-usd", "carol=1,dave=1"));
        s.putAll(more);
        return s;
    }

    /** The views compared before and after the move (paths read as admin, or as alice where marked). */
    private static final List<String> VIEWS = List.of(
            "/api/agents",
            "/api/leases",
            "/api/chat?channel=general",
            "/api/errors?action=issues",
            "/api/handoffs",
            "/api/join-keys",
            "alice /api/inbox?after=0",
            "alice /api/checkpoints",
            "/api/tasks",
            "/api/tasks/t-1",
            "/api/rollouts",
            "/api/flags/definitions",
            "/api/drills");

    private static String view(TestHub hub, String alice, String spec) {
        String[] parts = spec.split(" ");
        String body = parts.length == 2
                ? hub.get(alice, parts[1]).raw().body()
                : hub.get(TestHub.ADMIN, spec).raw().body();
        // Presence is judged by the clock of the hub that serves the view.
        return body.replaceAll("\"(lastSeen|presence|presenceSince)\":\"[^\"]*\"", "\"$1\":\"\"");
    }

    private static TestHub.Response stopHook(TestHub hub, String token, Path transcript) {
        String event = "{\"session_id\":\"s-1\",\"transcript_path\":\"" + transcript
                + "\",\"cwd\":\"/work/web\",\"hook_event_name\":\"Stop\",\"stop_hook_active\":false}";
        return hub.send(
                token,
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url() + "/hooks/claude/stop"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event)));
    }

    @Test
    void a_populated_hub_moves_from_sqlite_to_redis_and_back_with_nothing_lost() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        String prefix = redis.freshPrefix();
        Path fromSqlite = Files.createTempFile("snapshot-sqlite", ".jsonl");
        Path fromRedis = Files.createTempFile("snapshot-redis", ".jsonl");
        Path backOnSqlite = Files.createTempFile("snapshot-back", ".jsonl");
        Path backDir = Files.createTempDirectory("hub-back");
        MutableClock clock =
                new MutableClock(Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MILLIS));
        // Usage is kept by day: name the days this test's clocks span, so that a run across midnight (UTC) still
        // finds what was spent before it.
        String usageOfDave = "/api/usage?agentId=dave&from="
                + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) + "&to="
                + LocalDate.ofInstant(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

        Path transcript = Files.createDirectories(
                        Files.createTempDirectory("home").resolve(".claude/projects/-work-web"))
                .resolve("s-1.jsonl");
        Files.writeString(
                transcript,
                "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_01\",\"role\":\"assistant\",\"model\":"
                        + "\"claude-haiku-4-5\",\"content\":[],\"usage\":{\"input_tokens\":700,\"output_tokens\":5}}}\n");
        String daveToken;
        Map<String, String> before = new LinkedHashMap<>();
        String alice;
        String bob;
        String joinKey;
        String memory;
        String handoff;
        long lastToken;
        long lastCursor;
        try (TestHub hub = TestHub.withClock(clock, settings(Map.of()))) {
            alice = hub.agent("alice", Map.of("pool", "web"));
            bob = hub.agent("bob", Map.of("pool", "web"));
            String carol = hub.agent("carol");
            String dave = hub.agent("dave");
            daveToken = dave;
            hub.post(alice, "/api/heartbeat", Map.of("status", "busy", "currentTask", "fix login"));

            // An alert that fired and resolved: everyone silent for 16 minutes, then back.
            clock.advance(Duration.ofMinutes(16));
            hub.hub().services.reaper.run();
            assertThat(hub.hub().ops.evaluate()).extracting(AlertEvent::rule).contains("AllAgentsDown");
            for (String token : List.of(alice, bob, carol, dave)) {
                hub.post(token, "/api/heartbeat", Map.of());
            }
            assertThat(hub.hub().ops.evaluate()).isNotEmpty();

            joinKey = hub.post(TestHub.ADMIN, "/api/join-keys", Map.of("label", "fleet"))
                    .json()
                    .path("joinKey")
                    .asString();
            lastToken = hub.post(
                            alice,
                            "/api/leases",
                            Map.of("resource", "src/login.ts", "note", "editing", "ttlSeconds", 3600))
                    .json()
                    .path("token")
                    .asLong();
            hub.post(bob, "/api/leases", Map.of("resource", "docs/", "ttlSeconds", 3600));
            long tmp = hub.post(alice, "/api/leases", Map.of("resource", "tmp.txt"))
                    .json()
                    .path("token")
                    .asLong();
            hub.post(alice, "/api/leases/release", Map.of("resource", "tmp.txt", "token", tmp));
            lastToken = Math.max(lastToken, tmp);

            hub.post(alice, "/api/chat", Map.of("channel", "general", "text", "@bob review the login fix please"));
            lastCursor = hub.post(bob, "/api/dm", Map.of("to", "alice", "text", "on it"))
                    .json()
                    .path("cursor")
                    .asLong();
            hub.post(alice, "/api/inbox/ack", Map.of("cursor", lastCursor));

            memory = hub.post(
                            alice,
                            "/api/memories",
                            Map.of(
                                    "category",
                                    "learning",
                                    "content",
                                    "login tokens are cached for five minutes",
                                    "tags",
                                    List.of("auth")))
                    .json()
                    .path("id")
                    .asString();
            assertThat(hub.post(
                                    bob,
                                    "/api/memories",
                                    Map.of(
                                            "category",
                                            "learning",
                                            "content",
                                            "Login tokens ARE cached for five minutes!"))
                            .json()
                            .path("id")
                            .asString())
                    .isEqualTo(memory);
            String flaky = hub.post(bob, "/api/memories", Map.of("category", "warning", "content", "the CI is flaky"))
                    .json()
                    .path("id")
                    .asString();
            hub.delete(bob, "/api/memories/" + flaky);
            assertThat(hub.get(alice, "/api/memories?q=login").raw().body()).contains(memory);

            hub.post(alice, "/api/checkpoints", Map.of("currentTask", "fix login", "progress", "repro"));
            hub.post(alice, "/api/checkpoints", Map.of("currentTask", "fix login", "progress", "fixed, testing"));

            handoff = hub.post(
                            alice,
                            "/api/handoffs",
                            Map.of("to", "bob", "title", "finish the login fix", "leases", List.of("src/login.ts")))
                    .json()
                    .path("id")
                    .asString();
            String triage = hub.post(alice, "/api/handoffs", Map.of("to", "pool:web", "title", "triage"))
                    .json()
                    .path("id")
                    .asString();
            hub.post(alice, "/api/handoffs/" + triage + "/cancel", Map.of("note", "done myself"));

            for (String spender : List.of(carol, carol, dave, dave)) {
                hub.post(spender, "/api/usage", ONE_DOLLAR);
            }
            hub.post(
                    alice,
                    "/api/usage",
                    Map.of("model", "claude-sonnet-4-5", "inputTokens", 1200, "outputTokens", 300));
            assertThat(hub.post(
                                    TestHub.ADMIN,
                                    "/api/budget/acknowledge",
                                    Map.of("agentId", "carol", "note", "one-off migration"))
                            .status())
                    .isEqualTo(200);

            hub.post(alice, "/api/errors", Map.of("title", "flaky login test", "level", "warning"));
            hub.post(alice, "/api/errors", Map.of("title", "flaky login test", "level", "warning"));
            hub.post(bob, "/api/errors", Map.of("title", "docs build timeout", "level", "error"));
            // The work queue: one task done (with its history), one claimed holding a lease, one queued.
            hub.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "migrate", "pool", "web"));
            JsonNode first = hub.post(alice, "/api/tasks/claim", Map.of()).json();
            hub.post(
                    alice,
                    "/api/tasks/t-1/complete",
                    Map.of("token", first.path("token").asLong(), "result", "merged"));
            hub.post(
                    TestHub.ADMIN,
                    "/api/tasks",
                    Map.of("title", "edit", "pool", "web", "resources", List.of("src/t/")));
            hub.post(alice, "/api/tasks/claim", Map.of("ttlSeconds", 3600));
            hub.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "review", "pool", "web", "priority", 3));
            assertThat(hub.post(
                                    TestHub.ADMIN,
                                    "/api/rollouts/writers/canary",
                                    Map.of("version", "v2", "baseline", "v1", "steps", "10,100"))
                            .status())
                    .isEqualTo(201);
            assertThat(hub.post(
                                    TestHub.ADMIN,
                                    "/api/flags/new-parser",
                                    Map.of("type", "boolean", "defaultValue", false))
                            .status())
                    .isEqualTo(200);
            // A transcript counted by a Claude Code hook: its cursor moves with the snapshot.
            assertThat(stopHook(hub, dave, transcript).status()).isEqualTo(200);
            // A coordination drill (scratch namespace): its run moves with the history.
            TestHub.Response drill = hub.post(TestHub.ADMIN, "/api/drills", Map.of());
            assertThat(drill.status()).as(drill.raw().body()).isEqualTo(200);
            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "before the move"));
            assertThat(hub.get(TestHub.ADMIN, "/api/tools-test")
                            .json()
                            .path("failed")
                            .asInt())
                    .isZero();

            for (String v : VIEWS) {
                before.put(v, view(hub, alice, v));
            }
            CliRun export = cli("export", "-o", fromSqlite.toString(), "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(export.code()).as(export.err()).isZero();
        }
        Map<String, Long> counts = counts(Files.readAllLines(fromSqlite));
        assertThat(counts.keySet())
                .as("every kind of record is in the snapshot")
                .containsAll(io.agenthub.snapshot.SnapshotRecord.ORDER);

        String[] onRedis = {"--set", "redis-url=" + redis.url(), "--set", "redis-prefix=" + prefix};
        CliRun imported = cli(concat(new String[] {"import", fromSqlite.toString()}, onRedis));
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("Redis prefix " + prefix, "agent=4", "memory=2");
        CliRun again = cli(concat(new String[] {"import", fromSqlite.toString()}, onRedis));
        assertThat(again.code())
                .as("a second import into the same prefix is refused")
                .isEqualTo(2);
        assertThat(again.err()).contains("already holds data");

        CliRun offline = cli(concat(new String[] {"export", "--offline", "-o", fromRedis.toString()}, onRedis));
        assertThat(offline.code()).as(offline.err()).isZero();
        assertThat(records(fromRedis)).as("Redis holds what SQLite held").isEqualTo(records(fromSqlite));
        assertThat(header(fromRedis).path("backend").asString()).isEqualTo("redis");

        CliRun back = cli("import", fromRedis.toString(), "--data-dir", backDir.toString());
        assertThat(back.code()).as(back.err()).isZero();
        CliRun backExport = cli("export", "--offline", "--data-dir", backDir.toString(), "-o", backOnSqlite.toString());
        assertThat(backExport.code()).as(backExport.err()).isZero();
        assertThat(records(backOnSqlite)).as("and back on SQLite, the same").isEqualTo(records(fromSqlite));

        try (TestHub hub =
                new TestHub(settings(Map.of("redis-url", redis.url(), "redis-prefix", prefix)), Clock.systemUTC())) {
            for (String v : VIEWS) {
                assertThat(view(hub, alice, v)).as(v).isEqualTo(before.get(v));
            }
            assertThat(hub.get(alice, "/api/whoami").status())
                    .as("agent tokens still authenticate")
                    .isEqualTo(200);
            assertThat(hub.post(null, "/api/agents/enroll", Map.of("joinKey", joinKey, "id", "erin"))
                            .status())
                    .as("join keys still enroll")
                    .isEqualTo(201);
            assertThat(hub.get(TestHub.ADMIN, "/api/tier").json().path("tier").asInt())
                    .isEqualTo(2);
            assertThat(hub.get(alice, "/api/memories?q=cached").raw().body())
                    .as("the search index is rebuilt")
                    .contains(memory);
            JsonNode merged = hub.get(alice, "/api/memories/" + memory).json();
            assertThat(merged.path("count").asInt())
                    .as("merge counts move across backends")
                    .isEqualTo(2);
            assertThat(merged.path("authors").toString()).isEqualTo("[\"alice\",\"bob\"]");
            assertThat(hub.get(alice, "/api/memories?q=flaky").raw().body())
                    .as("forgotten stays forgotten")
                    .doesNotContain("the CI is flaky");

            hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "moved to Redis"));
            long token = hub.post(alice, "/api/leases", Map.of("resource", "src/new.ts"))
                    .json()
                    .path("token")
                    .asLong();
            assertThat(token).as("fencing continues above the imported tokens").isGreaterThan(lastToken);
            JsonNode accepted = hub.post(bob, "/api/handoffs/" + handoff + "/accept", Map.of())
                    .json();
            assertThat(accepted.toString()).contains("src/login.ts");
            long cursor = hub.post(bob, "/api/chat", Map.of("channel", "general", "text", "moved to Redis"))
                    .json()
                    .path("cursor")
                    .asLong();
            assertThat(cursor).as("cursors continue").isGreaterThan(lastCursor);
            String spent = hub.get(TestHub.ADMIN, usageOfDave).raw().body();
            assertThat(spent).contains("700");
            stopHook(hub, daveToken, transcript);
            assertThat(hub.get(TestHub.ADMIN, usageOfDave).raw().body())
                    .as("a transcript counted before the move is not counted again")
                    .isEqualTo(spent);
            assertThat(hub.get(alice, "/api/inbox?after=0").raw().body()).contains("on it");
            JsonNode review = hub.post(bob, "/api/tasks/claim", Map.of()).json();
            assertThat(review.path("id").asString())
                    .as("the queue survives the move")
                    .isEqualTo("t-3");
            assertThat(review.path("token").asLong())
                    .as("claim tokens continue too")
                    .isGreaterThan(token);
            assertThat(hub.post(TestHub.ADMIN, "/api/tasks", Map.of("title", "next", "pool", "web"))
                            .json()
                            .path("id")
                            .asString())
                    .isEqualTo("t-4");

            Path live = Files.createTempFile("snapshot-live", ".jsonl");
            CliRun liveExport = cli("export", "-o", live.toString(), "--url", hub.url(), "--token", TestHub.ADMIN);
            assertThat(liveExport.code()).as(liveExport.err()).isZero();
            Map<String, Long> liveCounts = counts(Files.readAllLines(live));
            assertThat(liveCounts.get("agent")).isEqualTo(counts.get("agent") + 1);
            assertThat(liveCounts.get("message")).isGreaterThan(counts.get("message"));
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static JsonNode header(Path snapshot) throws Exception {
        return JsonCodec.MAPPER.readTree(Files.readAllLines(snapshot).getFirst());
    }

    /** The record lines, without the header (time, backend) and the end line. */
    private static List<String> records(Path snapshot) throws Exception {
        List<String> lines = Files.readAllLines(snapshot);
        return lines.subList(1, lines.size() - 1);
    }

    private static Map<String, Long> counts(List<String> lines) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : lines) {
            JsonNode n = JsonCodec.MAPPER.readTree(line);
            if (n.has("data")) {
                out.merge(n.path("type").asString(), 1L, Long::sum);
            }
        }
        return out;
    }
}
