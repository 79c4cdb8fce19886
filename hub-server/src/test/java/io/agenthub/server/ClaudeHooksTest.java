package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.cli.HookCommand;
import io.agenthub.server.wire.JsonCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The Claude Code hooks with recorded payloads (src/test/resources/claude-hooks), over HTTP and as a command. */
class ClaudeHooksTest {
    @TempDir
    Path tmp;

    private TestHub hub;
    private String alice;
    private String bob;
    private Path root;
    private Path transcript;

    @BeforeEach
    void start() throws IOException {
        hub = new TestHub();
        alice = hub.agent("alice");
        bob = hub.agent("bob");
        root = Files.createDirectories(tmp.resolve("checkout-1"));
        transcript = Files.createDirectories(tmp.resolve("home/.claude/projects/-work-repo"))
                .resolve("3f1c2a9e-1111-4c2d-9a55-000000000001.jsonl");
        Files.writeString(transcript, fixture("transcript.jsonl", root));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private String fixture(String name, Path checkout) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/claude-hooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@ROOT@", checkout.toString())
                    .replace("@TRANSCRIPT@", transcript == null ? "" : transcript.toString());
        }
    }

    private TestHub.Response hook(String token, String event, String fixture, Path checkout) throws IOException {
        return hub.send(
                token,
                HttpRequest.newBuilder(URI.create(hub.url() + "/hooks/claude/" + event))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Repository", "web")
                        .header("X-Hub-Project-Dir", checkout.toString())
                        .POST(HttpRequest.BodyPublishers.ofString(fixture(fixture, checkout))));
    }

    @Test
    void session_start_adds_the_hot_start_briefing_and_the_lease_naming() throws IOException {
        hub.post(bob, "/api/dm", Map.of("to", "alice", "text", "login.ts is yours after 3pm"));
        JsonNode out = hook(alice, "session-start", "session-start.json", root).json();
        assertThat(out.at("/hookSpecificOutput/hookEventName").asString()).isEqualTo("SessionStart");
        String context = out.at("/hookSpecificOutput/additionalContext").asString();
        assertThat(context)
                .contains("alice")
                .contains("login.ts is yours after 3pm")
                .contains("web/src/main.ts");
        assertThat(context.length()).isLessThan(13_000);
    }

    @Test
    void an_edit_of_a_file_another_agent_holds_is_denied_with_the_holder_and_until_when() throws IOException {
        assertThat(hub.post(bob, "/api/leases", Map.of("resource", "web/src/auth/login.ts"))
                        .status())
                .isEqualTo(201);
        JsonNode out =
                hook(alice, "pre-tool-use", "pre-tool-use-edit.json", root).json();
        assertThat(out.at("/hookSpecificOutput/permissionDecision").asString()).isEqualTo("deny");
        assertThat(out.at("/hookSpecificOutput/permissionDecisionReason").asString())
                .contains("web/src/auth/login.ts")
                .contains("bob")
                .contains("until");
    }

    @Test
    void another_worktree_of_the_repository_collides_and_another_repository_does_not() throws IOException {
        hub.post(bob, "/api/leases", Map.of("resource", "web/src/auth/login.ts"));
        Path worktree = Files.createDirectories(tmp.resolve("checkout-2"));
        assertThat(hook(alice, "pre-tool-use", "pre-tool-use-edit.json", worktree)
                        .json()
                        .at("/hookSpecificOutput/permissionDecision")
                        .asString())
                .isEqualTo("deny");
        TestHub.Response other = hub.send(
                alice,
                HttpRequest.newBuilder(URI.create(hub.url() + "/hooks/claude/pre-tool-use"))
                        .header("X-Hub-Repository", "api")
                        .header("X-Hub-Project-Dir", root.toString())
                        .POST(HttpRequest.BodyPublishers.ofString(fixture("pre-tool-use-edit.json", root))));
        assertThat(other.json().isEmpty()).as("api/src/auth/login.ts is free").isTrue();
    }

    @Test
    void reads_are_never_blocked_and_an_allowed_edit_does_not_override_permissions() throws IOException {
        hub.post(bob, "/api/leases", Map.of("resource", "web/src/auth/login.ts"));
        assertThat(hook(alice, "pre-tool-use", "pre-tool-use-read.json", root)
                        .json()
                        .isEmpty())
                .isTrue();
        assertThat(hook(bob, "pre-tool-use", "pre-tool-use-edit.json", root)
                        .json()
                        .isEmpty())
                .as("the holder edits; the hook never answers allow")
                .isTrue();
    }

    @Test
    void auto_acquire_takes_the_lease_of_a_free_file_for_the_editor() throws IOException {
        hub.close();
        hub = new TestHub(Map.of("hook-lease-auto-acquire", "true"), java.time.Clock.systemUTC());
        alice = hub.agent("alice");
        hook(alice, "pre-tool-use", "pre-tool-use-edit.json", root);
        assertThat(hub.get(alice, "/api/leases?holder=alice")
                        .json()
                        .at("/leases/0/resource")
                        .asString())
                .isEqualTo("web/src/auth/login.ts");
    }

    @Test
    void new_messages_reach_the_next_prompt_once_marked_as_from_other_agents() throws IOException {
        hub.post(bob, "/api/dm", Map.of("to", "alice", "text", "please review #42"));
        String first = hook(alice, "user-prompt-submit", "user-prompt-submit.json", root)
                .json()
                .at("/hookSpecificOutput/additionalContext")
                .asString();
        assertThat(first).contains("please review #42").contains("not from the user");
        JsonNode again = hook(alice, "user-prompt-submit", "user-prompt-submit.json", root)
                .json();
        assertThat(again.at("/hookSpecificOutput/additionalContext").asString(""))
                .doesNotContain("please review");
    }

    @Test
    void stop_reports_the_transcript_usage_once_and_saves_a_checkpoint() throws IOException {
        hook(alice, "stop", "stop.json", root);
        hook(alice, "stop", "stop.json", root);
        JsonNode total = hub.get(hub.ADMIN, "/api/usage?agentId=alice").json().path("total");
        assertThat(total.toString()).contains("1500").contains("84000");
        JsonNode cp = hub.get(alice, "/api/checkpoints").json().path("latest");
        assertThat(cp.path("progress").asString()).contains("Fixed the token refresh");
        assertThat(cp.path("filesTouched").toString()).contains("web/src/auth/login.ts");
    }

    @Test
    void session_end_releases_the_agents_leases() throws IOException {
        hub.post(alice, "/api/leases", Map.of("resource", "web/src/a.ts"));
        hook(alice, "session-end", "session-end.json", root);
        assertThat(hub.get(alice, "/api/leases?holder=alice").json().path("leases"))
                .isEmpty();
    }

    @Test
    void a_bad_token_is_refused_and_a_token_of_another_agent_than_named_too() throws IOException {
        assertThat(hook("not-a-token", "pre-tool-use", "pre-tool-use-edit.json", root)
                        .status())
                .isEqualTo(401);
        TestHub.Response conflict = hub.send(
                alice,
                HttpRequest.newBuilder(URI.create(hub.url() + "/hooks/claude/stop"))
                        .header("X-Hub-Agent", "bob")
                        .POST(HttpRequest.BodyPublishers.ofString(fixture("stop.json", root))));
        assertThat(conflict.status()).isEqualTo(403);
        assertThat(conflict.json().path("detail").asString()).contains("alice").contains("bob");
    }

    @Test
    void the_command_form_prints_the_same_answer() throws IOException {
        hub.post(bob, "/api/leases", Map.of("resource", "web/src/auth/login.ts"));
        Command run = command(hub.url(), alice, "pre-tool-use", "pre-tool-use-edit.json");
        assertThat(run.code()).isZero();
        assertThat(JsonCodec.MAPPER
                        .readTree(run.out())
                        .at("/hookSpecificOutput/permissionDecision")
                        .asString())
                .isEqualTo("deny");
    }

    @Test
    void the_command_form_with_several_urls_fails_over_from_a_node_that_is_down() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        hub.post(bob, "/api/leases", Map.of("resource", "web/src/auth/login.ts"));
        Command run =
                command("http://127.0.0.1:" + port + "," + hub.url(), alice, "pre-tool-use", "pre-tool-use-edit.json");
        assertThat(run.code()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(JsonCodec.MAPPER
                        .readTree(run.out())
                        .at("/hookSpecificOutput/permissionDecision")
                        .asString())
                .isEqualTo("deny");
    }

    @Test
    void the_command_form_lets_the_session_go_on_when_the_hub_is_down_or_refuses() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Command down = command("http://127.0.0.1:" + port, alice, "pre-tool-use", "pre-tool-use-edit.json");
        assertThat(down.code()).isZero();
        assertThat(down.out()).isEmpty();
        assertThat(down.err()).contains("cannot reach the hub").contains("goes on");
        Command refused = command(hub.url(), "bad-token", "stop", "stop.json");
        assertThat(refused.code()).isZero();
        assertThat(refused.err()).contains("HTTP 401");
    }

    @Test
    void the_command_form_gives_a_slow_hub_two_seconds_then_lets_the_session_go_on() throws IOException {
        // A listening socket that never answers: the connection is made, the answer never comes.
        try (ServerSocket silent = new ServerSocket(0)) {
            long t0 = System.nanoTime();
            Command slow = command(
                    "http://127.0.0.1:" + silent.getLocalPort(), alice, "pre-tool-use", "pre-tool-use-edit.json");
            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - t0);
            assertThat(slow.code()).isZero();
            assertThat(slow.out()).isEmpty();
            assertThat(slow.err()).contains("no answer in time").contains("goes on");
            assertThat(took).isBetween(java.time.Duration.ofMillis(1_900), java.time.Duration.ofSeconds(8));
        }
    }

    @Test
    void hub_mcp_refuses_a_token_of_another_agent_than_hub_agent_id() {
        CliRun run = CliRun.of("mcp", "--url", hub.url(), "--token", alice, "--agent-id", "bob");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("belongs to agent alice")
                .contains("says bob")
                .contains("unset one of them");
    }

    @Test
    void a_usage_report_past_the_warn_threshold_tells_the_model_to_checkpoint_soon() throws IOException {
        try (TestHub small = new TestHub(
                Map.of("context-warn-tokens", "40000", "context-transfer-tokens", "100000"),
                java.time.Clock.systemUTC())) {
            String carol = small.agent("carol");
            JsonNode answer = hookOn(small, carol, "post-tool-use", "post-tool-use.json");
            String note = answer.at("/hookSpecificOutput/additionalContext").asString("")
                    + answer.path("systemMessage").asString("");
            assertThat(note).contains("Agent Hub: warn.");
            assertThat(small.get(carol, "/api/handoffs?state=open").json().toString())
                    .doesNotContain("transfer");
        }
    }

    @Test
    void a_usage_report_past_the_transfer_threshold_saves_a_checkpoint_and_creates_the_handoff() throws IOException {
        try (TestHub small = new TestHub(
                Map.of("context-warn-tokens", "20000", "context-transfer-tokens", "40000"),
                java.time.Clock.systemUTC())) {
            String carol = small.agent("carol");
            JsonNode answer = hookOn(small, carol, "post-tool-use", "post-tool-use.json");
            String note = answer.at("/hookSpecificOutput/additionalContext").asString("")
                    + answer.path("systemMessage").asString("");
            assertThat(note)
                    .contains("Agent Hub: transfer.")
                    .contains("A checkpoint was saved and handoff ho-")
                    .contains("finish the current step, then stop");
            assertThat(small.get(carol, "/api/checkpoints")
                            .json()
                            .path("latest")
                            .isObject())
                    .isTrue();
            String handoff = note.replaceAll("(?s).*handoff (ho-[0-9]+).*", "$1");
            assertThat(small.get(carol, "/api/handoffs/" + handoff).status()).isEqualTo(200);
        }
    }

    @Test
    void session_end_with_handoff_offers_the_agents_work_to_its_pool() throws IOException {
        try (TestHub h = new TestHub(Map.of("hook-session-end-leases", "handoff"), java.time.Clock.systemUTC())) {
            String dave = h.agent("dave", Map.of("pool", "builders"));
            h.post(dave, "/api/leases", Map.of("resource", "web/src/a.ts"));
            hookOn(h, dave, "session-end", "session-end.json");
            JsonNode open = h.get(TestHub.ADMIN, "/api/handoffs").json();
            assertThat(open.toString())
                    .contains("pool:builders")
                    .contains("Claude Code session ended")
                    .contains("dave");
        }
    }

    private JsonNode hookOn(TestHub h, String token, String event, String fixture) throws IOException {
        TestHub.Response r = h.send(
                token,
                HttpRequest.newBuilder(URI.create(h.url() + "/hooks/claude/" + event))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Repository", "web")
                        .header("X-Hub-Project-Dir", root.toString())
                        .POST(HttpRequest.BodyPublishers.ofString(fixture(fixture, root))));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    private record Command(int code, String out, String err) {}

    private Command command(String url, String token, String event, String fixture) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = HookCommand.run(
                new String[] {event, "--repo", "web"},
                Map.of("HUB_URL", url, "HUB_TOKEN", token, "CLAUDE_PROJECT_DIR", root.toString()),
                new ByteArrayInputStream(fixture(fixture, root).getBytes(StandardCharsets.UTF_8)),
                out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Command(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
