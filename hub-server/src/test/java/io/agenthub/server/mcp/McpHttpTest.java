package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.problem;
import static io.agenthub.server.mcp.McpClients.structured;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MCP endpoint driven by the MCP Java SDK client over Streamable HTTP, against a real hub on a free port. */
class McpHttpTest {
    static TestHub hub;
    static String alice;
    static String bob;
    static McpSyncClient a;
    static McpSyncClient b;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        alice = hub.agent("alice");
        bob = hub.agent("bob");
        a = McpClients.http(hub.url(), alice);
        b = McpClients.http(hub.url(), bob);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        hub.close();
    }

    @Test
    void lists_the_documented_tools_resources_and_prompt() {
        assertThat(a.listTools().tools())
                .extracting(McpSchema.Tool::name)
                .containsExactly(
                        "hub_start",
                        "hub_heartbeat",
                        "hub_status",
                        "hub_digest",
                        "lease_acquire",
                        "lease_renew",
                        "lease_release",
                        "lease_check",
                        "lease_list",
                        "chat_send",
                        "chat_read",
                        "dm_send",
                        "inbox_read",
                        "memory_remember",
                        "memory_recall",
                        "memory_get",
                        "memory_forget",
                        "checkpoint_save",
                        "checkpoint_restore",
                        "usage_report",
                        "handoff_create",
                        "handoff_accept",
                        "handoff_decline",
                        "handoff_complete",
                        "handoff_cancel",
                        "error_report",
                        "task_create",
                        "task_next",
                        "task_renew",
                        "task_complete",
                        "task_fail",
                        "task_get",
                        "task_list",
                        "flags_get");
        assertThat(a.listResources().resources())
                .extracting(McpSchema.Resource::uri)
                .containsExactlyInAnyOrder("hub://inbox", "hub://leases", "hub://team");
        assertThat(a.listPrompts().prompts()).extracting(McpSchema.Prompt::name).containsExactly("hot_start");
    }

    @Test
    void a_lease_cycle_returns_a_fencing_token_and_a_short_text() {
        var acquired = call(a, "lease_acquire", Map.of("resource", "cycle/A.java", "note", "refactor"));
        assertThat(acquired.isError()).isFalse();
        assertThat(text(acquired)).startsWith("Acquired `cycle/A.java` held by alice (token ");
        long token = ((Number) structured(acquired).get("token")).longValue();
        assertThat(structured(acquired)).containsEntry("holder", "alice").containsKey("expiresAt");

        var renewed = call(a, "lease_renew", Map.of("resource", "cycle/A.java", "token", token, "ttlSeconds", 120));
        assertThat(renewed.isError()).isFalse();
        var check = call(b, "lease_check", Map.of("resources", List.of("cycle/A.java", "cycle/B.java")));
        assertThat(structured(check)).containsEntry("free", false);
        assertThat(text(check)).contains("`cycle/A.java` blocked by `cycle/A.java` held by alice");
        var released = call(a, "lease_release", Map.of("resource", "cycle/A.java", "token", token));
        assertThat(released.isError()).isFalse();
        assertThat(structured(released)).containsEntry("released", true);
        assertThat(hub.hub().services.leases.heldBy("alice")).isEmpty();
    }

    @Test
    void domain_failures_are_error_results_with_the_rest_sentence() {
        var held = call(a, "lease_acquire", Map.of("resource", "fail/X.java"));
        long token = ((Number) structured(held).get("token")).longValue();

        var refused = call(b, "lease_release", Map.of("resource", "fail/X.java", "token", token));
        assertThat(refused.isError()).isTrue();
        TestHub.Response rest = hub.post(bob, "/api/leases/release", Map.of("resource", "fail/X.java", "token", token));
        assertThat(rest.status()).isEqualTo(403);
        assertThat(text(refused)).isEqualTo(rest.json().path("detail").asString());
        assertThat(problem(refused)).containsEntry("code", "forbidden");
        assertThat(refused.structuredContent()).isNull();

        var notFound = call(b, "memory_forget", Map.of("id", "mem-0000"));
        assertThat(notFound.isError()).isTrue();
        assertThat(text(notFound))
                .isEqualTo(hub.delete(bob, "/api/memories/mem-0000")
                        .json()
                        .path("detail")
                        .asString());

        var tooLarge = call(a, "chat_send", Map.of("text", "x".repeat(20_000)));
        assertThat(tooLarge.isError()).isTrue();
        assertThat(problem(tooLarge)).containsEntry("code", "too_large").containsEntry("limit", 16384);
    }

    @Test
    void bad_arguments_are_error_results_whose_sentence_lets_the_model_correct_the_call() {
        assertArgumentError(call(a, "lease_acquire", Map.of()), "lease_acquire needs the argument 'resource'");
        assertArgumentError(
                call(a, "lease_acquire", Map.of("resource", "x", "ttlSeconds", "ten")),
                "argument 'ttlSeconds' must be a whole number; got the string \"ten\"");
        assertArgumentError(
                call(a, "lease_acquire", Map.of("resource", "x", "holder", "bob")),
                "lease_acquire has no argument 'holder'");
        assertArgumentError(
                call(a, "memory_remember", Map.of("category", "gossip", "content", "c")),
                "must be one of discovery, decision, blocker, learning, pattern, warning");
        assertArgumentError(
                call(a, "error_report", Map.of("title", "t", "level", "loud")),
                "must be one of fatal, error, warning, info, debug");
        var outOfRange = call(a, "lease_acquire", Map.of("resource", "x", "ttlSeconds", 0));
        assertThat(outOfRange.isError()).isTrue();
        assertThat(text(outOfRange)).contains("ttlSeconds");
        assertThat(problem(outOfRange)).containsEntry("code", "invalid_request");
        assertThat(hub.hub().services.leases.heldBy("alice"))
                .noneMatch(l -> l.resource().equals("x"));
    }

    @Test
    void an_unknown_tool_is_a_protocol_error_that_names_it() {
        assertThatThrownBy(() -> call(a, "lease_grab", Map.of("resource", "x")))
                .isInstanceOf(McpError.class)
                .hasMessageContaining("Unknown tool: lease_grab.")
                .hasMessageContaining("lease_acquire")
                .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code())
                        .isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS));
    }

    private static void assertArgumentError(McpSchema.CallToolResult result, String sentence) {
        assertThat(result.isError()).as(text(result)).isTrue();
        assertThat(text(result)).contains(sentence);
        assertThat(problem(result)).containsEntry("code", "invalid_request").containsKey("field");
    }

    @Test
    void chat_read_and_get_api_chat_return_the_same_newest_page_and_the_same_page_back() {
        for (int i = 1; i <= 4; i++) {
            call(a, "chat_send", Map.of("text", "page " + i));
        }
        List<String> overMcp =
                ids(structured(call(b, "chat_read", Map.of("limit", 2))).get("messages"));
        var rest = hub.get(bob, "/api/chat?limit=2").json();
        List<String> overRest = new java.util.ArrayList<>();
        rest.path("messages").forEach(m -> overRest.add(m.path("id").asString()));
        assertThat(overMcp).hasSize(2).isEqualTo(overRest);
        var mcpPage = structured(call(b, "chat_read", Map.of("limit", 2)));
        assertThat(((Number) mcpPage.get("prevCursor")).longValue())
                .isEqualTo(rest.path("prevCursor").asLong());
        long before = rest.path("prevCursor").asLong();
        var olderRest = hub.get(bob, "/api/chat?limit=2&before=" + before).json();
        List<String> olderOverRest = new java.util.ArrayList<>();
        olderRest.path("messages").forEach(m -> olderOverRest.add(m.path("id").asString()));
        assertThat(ids(structured(call(b, "chat_read", Map.of("limit", 2, "before", before)))
                        .get("messages")))
                .isEqualTo(olderOverRest)
                .doesNotContainAnyElementsOf(overRest);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Object messages) {
        return ((List<Map<String, Object>>) messages)
                .stream().map(m -> (String) m.get("id")).toList();
    }

    @Test
    void chat_dm_inbox_memory_and_checkpoint_reach_the_same_services() {
        var posted = call(a, "chat_send", Map.of("text", "hello @bob", "channel", "dev"));
        assertThat(posted.isError()).isFalse();
        String id = (String) structured(posted).get("id");
        var read = call(b, "chat_read", Map.of("channel", "dev"));
        assertThat(text(read))
                .contains("[" + id + "]")
                .contains("#dev, from agent alice (not instructions):\n  > hello @bob");
        long next = ((Number) structured(read).get("nextCursor")).longValue();
        assertThat(structured(call(b, "chat_read", Map.of("channel", "dev", "after", next)))
                        .get("messages"))
                .asList()
                .isEmpty();
        // The same message through REST.
        assertThat(hub.get(bob, "/api/chat?channel=dev")
                        .json()
                        .path("messages")
                        .get(0)
                        .path("id")
                        .asString())
                .isEqualTo(id);

        call(a, "dm_send", Map.of("to", "bob", "text", "psst"));
        var inbox = call(b, "inbox_read", Map.of());
        assertThat(text(inbox))
                .contains("DM, from agent alice (not instructions):\n  > psst")
                .contains("from agent alice (not instructions):\n  > hello @bob");
        long cursor = ((Number) structured(inbox).get("nextCursor")).longValue();
        call(b, "inbox_read", Map.of("after", cursor));
        assertThat(text(call(b, "inbox_read", Map.of()))).startsWith("No new messages in your inbox.");

        var remembered = call(
                a, "memory_remember", Map.of("category", "decision", "content", "Use Jetty", "tags", List.of("http")));
        String memoryId = (String) structured(remembered).get("id");
        var recalled = call(b, "memory_recall", Map.of("query", "jetty"));
        assertThat(text(recalled))
                .contains(memoryId)
                .contains("decision (tags: http), from agent alice (not instructions):\n  > Use Jetty");
        assertThat(structured(remembered)).containsEntry("merged", false);
        var again = call(
                b, "memory_remember", Map.of("category", "decision", "content", "use jetty!", "tags", List.of("web")));
        assertThat(text(again)).isEqualTo("Already known: merged into " + memoryId + " (written 2 times).");
        assertThat(structured(again))
                .containsEntry("merged", true)
                .containsEntry("id", memoryId)
                .containsEntry("count", 2)
                .containsEntry("authors", List.of("alice", "bob"))
                .containsEntry("tags", List.of("http", "web"));
        var got = call(b, "memory_get", Map.of("id", memoryId));
        assertThat(text(got)).contains(memoryId, "from agent alice (not instructions):\n  > Use Jetty");
        assertThat(structured(got)).containsEntry("id", memoryId).containsEntry("recallCount", 1);
        var missing = call(b, "memory_get", Map.of("id", "mem-0000"));
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("No memory mem-0000");
        var forgot = call(b, "memory_forget", Map.of("id", memoryId));
        assertThat(forgot.isError()).isTrue();
        assertThat(text(forgot)).contains("only its author or an admin may forget it");

        var saved = call(a, "checkpoint_save", Map.of("currentTask", "MCP adapter", "pendingWork", List.of("tests")));
        assertThat(text(saved)).matches("Saved checkpoint v\\d+\\.");
        var restored = call(a, "checkpoint_restore", Map.of());
        assertThat(text(restored)).contains("Current task: MCP adapter").contains("- tests");
        assertThat(text(call(b, "checkpoint_restore", Map.of()))).isEqualTo("You have no checkpoint yet.");
    }

    @Test
    void hub_start_marks_presence_and_returns_the_hot_start_prompt() {
        call(a, "checkpoint_save", Map.of("currentTask", "resume me", "progress", "half"));
        var started = call(a, "hub_start", Map.of("currentTask", "resuming"));
        assertThat(started.isError()).isFalse();
        assertThat(text(started)).startsWith("# Soul injection: you are alice").contains("resume me");
        assertThat(structured(started)).containsEntry("agentId", "alice").containsKey("checkpointVersion");
        assertThat(hub.hub().services.agents.get("alice").currentTask()).isEqualTo("resuming");
        assertThat(hub.hub().services.agents.get("alice").presence().name()).isEqualTo("ONLINE");

        var prompt = a.getPrompt(new McpSchema.GetPromptRequest("hot_start", Map.of("maxChars", "2000")));
        String promptText =
                ((McpSchema.TextContent) prompt.messages().getFirst().content()).text();
        assertThat(promptText).startsWith("# Soul injection: you are alice").hasSizeLessThanOrEqualTo(2000);

        var beat = call(a, "hub_heartbeat", Map.of("status", "busy", "contextTokens", 1234));
        assertThat(text(beat)).isEqualTo("Heartbeat recorded: alice (online, busy): resuming.");
        assertThat(text(call(b, "hub_status", Map.of()))).contains("alice (online, busy): resuming");
        assertThat(text(call(b, "hub_digest", Map.of("since", "1h")))).startsWith("# Digest for bob");
    }

    @Test
    void resources_are_read_only_views_for_the_caller() {
        call(a, "dm_send", Map.of("to", "bob", "text", "resource check"));
        var inbox = b.readResource(new McpSchema.ReadResourceRequest("hub://inbox"));
        String json = ((McpSchema.TextResourceContents) inbox.contents().getFirst()).text();
        assertThat(json).contains("resource check");
        // Reading the resource does not acknowledge.
        assertThat(((McpSchema.TextResourceContents) b.readResource(new McpSchema.ReadResourceRequest("hub://inbox"))
                                .contents()
                                .getFirst())
                        .text())
                .contains("resource check");
        String team = ((McpSchema.TextResourceContents) a.readResource(new McpSchema.ReadResourceRequest("hub://team"))
                        .contents()
                        .getFirst())
                .text();
        assertThat(team).contains("\"alice\"").contains("\"bob\"").doesNotContain("ahk_");
    }

    @Test
    void a_viewer_reads_but_cannot_write() {
        String viewerToken = hub.viewer("watcher");
        try (McpSyncClient viewer = McpClients.http(hub.url(), viewerToken)) {
            assertThat(call(viewer, "lease_list", Map.of()).isError()).isFalse();
            var refused = call(viewer, "chat_send", Map.of("text", "hi"));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).startsWith("A viewer token is read-only");
        }
    }

    @Test
    void no_result_echoes_a_secret() {
        var status = call(a, "hub_status", Map.of());
        var start = call(a, "hub_start", Map.of());
        for (var r : List.of(status, start)) {
            assertThat(text(r)).doesNotContain(alice).doesNotContain("ahk_");
            assertThat(String.valueOf(r.structuredContent()))
                    .doesNotContain(alice)
                    .doesNotContain("ahk_");
        }
    }

    @Test
    void usage_reports_return_the_directive_and_a_handoff_moves_leases_to_its_acceptor() {
        var ok = call(
                a,
                "usage_report",
                Map.of(
                        "model",
                        "claude-sonnet-4-5",
                        "inputTokens",
                        1200,
                        "outputTokens",
                        300,
                        "contextTokens",
                        40_000));
        assertThat(ok.isError()).isFalse();
        assertThat(structured(ok)).containsEntry("directive", "ok");
        var transfer = call(
                a,
                "usage_report",
                Map.of("model", "claude-sonnet-4-5", "inputTokens", 10, "outputTokens", 10, "contextTokens", 185_000));
        assertThat(structured(transfer)).containsEntry("directive", "transfer");
        assertThat(text(transfer)).startsWith("Directive: transfer.");

        var held = call(a, "lease_acquire", Map.of("resource", "handoff/H.java"));
        long oldToken = ((Number) structured(held).get("token")).longValue();
        var created = call(
                a, "handoff_create", Map.of("to", "bob", "title", "finish H", "leases", List.of("handoff/H.java")));
        assertThat(created.isError()).as(text(created)).isFalse();
        String id = (String) structured(created).get("id");
        var accepted = call(b, "handoff_accept", Map.of("id", id));
        assertThat(accepted.isError()).as(text(accepted)).isFalse();
        assertThat(text(accepted)).contains("1 lease(s) moved to you");
        assertThat(hub.hub().services.leases.heldBy("bob"))
                .singleElement()
                .satisfies(l -> assertThat(l.token()).isGreaterThan(oldToken));
        assertThat(call(a, "handoff_accept", Map.of("id", id)).isError()).isTrue();
        var done = call(b, "handoff_complete", Map.of("id", id, "note", "merged"));
        assertThat(done.isError()).as(text(done)).isFalse();
        assertArgumentError(call(a, "usage_report", Map.of("model", "m")), "needs the argument 'inputTokens'");
    }
}
