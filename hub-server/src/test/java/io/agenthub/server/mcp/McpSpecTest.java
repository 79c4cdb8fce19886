package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.problem;
import static io.agenthub.server.mcp.McpClients.structured;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.agenthub.handoff.Target;
import io.agenthub.server.TestHub;
import io.agenthub.server.wire.JsonCodec;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The tools as the 2025-11-25 protocol describes them: titles, annotations, output schemas and the results. */
class McpSpecTest {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static TestHub hub;
    static McpSyncClient a;
    static McpSyncClient b;
    static Map<String, McpSchema.Tool> tools;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub();
        a = McpClients.http(hub.url(), hub.agent("alice"));
        b = McpClients.http(hub.url(), hub.agent("bob"));
        tools = new LinkedHashMap<>();
        a.listTools().tools().forEach(t -> tools.put(t.name(), t));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        hub.close();
    }

    @Test
    void every_tool_has_a_title_all_behaviour_hints_and_an_object_output_schema() {
        assertThat(tools).hasSizeGreaterThanOrEqualTo(25);
        tools.values().forEach(t -> {
            assertThat(t.title()).as(t.name()).isNotBlank();
            McpSchema.ToolAnnotations hints = t.annotations();
            assertThat(List.of(hints.readOnlyHint(), hints.destructiveHint(), hints.idempotentHint()))
                    .as(t.name())
                    .doesNotContainNull();
            assertThat(hints.openWorldHint()).as(t.name()).isFalse();
            if (hints.readOnlyHint()) {
                assertThat(hints.destructiveHint()).as(t.name()).isFalse();
            }
            assertThat(t.outputSchema()).as(t.name()).containsEntry("type", "object");
        });
        assertThat(tools.get("lease_release").annotations().destructiveHint()).isTrue();
        assertThat(tools.get("memory_forget").annotations().destructiveHint()).isTrue();
        assertThat(tools.get("handoff_cancel").annotations().destructiveHint()).isTrue();
        assertThat(tools.get("chat_send").annotations().idempotentHint()).isFalse();
        assertThat(tools.get("lease_list").annotations().readOnlyHint()).isTrue();
        assertThat(tools.get("inbox_read").annotations().readOnlyHint()).isFalse();
    }

    @Test
    void every_tool_returns_structured_content_that_conforms_to_its_output_schema() {
        Map<String, McpSchema.CallToolResult> results = new LinkedHashMap<>();
        results.put("hub_start", call(a, "hub_start", Map.of("currentTask", "schemas")));
        results.put("hub_heartbeat", call(a, "hub_heartbeat", Map.of("status", "busy")));
        results.put("hub_status", call(a, "hub_status", Map.of()));
        results.put("hub_digest", call(a, "hub_digest", Map.of("since", "1h")));
        var acquired = call(a, "lease_acquire", Map.of("resource", "spec/A.java", "note", "n"));
        results.put("lease_acquire", acquired);
        long token = ((Number) structured(acquired).get("token")).longValue();
        results.put("lease_renew", call(a, "lease_renew", Map.of("resource", "spec/A.java", "token", token)));
        results.put("lease_check", call(b, "lease_check", Map.of("resources", List.of("spec/A.java", "spec/B"))));
        results.put("lease_list", call(a, "lease_list", Map.of()));
        results.put("lease_release", call(a, "lease_release", Map.of("resource", "spec/A.java", "token", token)));
        results.put("chat_send", call(a, "chat_send", Map.of("text", "hello @bob")));
        results.put("chat_read", call(a, "chat_read", Map.of("limit", 5)));
        results.put("dm_send", call(a, "dm_send", Map.of("to", "bob", "text", "psst")));
        results.put("inbox_read", call(b, "inbox_read", Map.of()));
        var remembered = call(a, "memory_remember", Map.of("category", "decision", "content", "schemas everywhere"));
        results.put("memory_remember", remembered);
        results.put("memory_recall", call(a, "memory_recall", Map.of("query", "schemas")));
        results.put(
                "memory_get",
                call(b, "memory_get", Map.of("id", structured(remembered).get("id"))));
        results.put(
                "memory_forget",
                call(a, "memory_forget", Map.of("id", structured(remembered).get("id"))));
        results.put(
                "checkpoint_save", call(a, "checkpoint_save", Map.of("currentTask", "t", "pendingWork", List.of())));
        results.put("checkpoint_restore", call(a, "checkpoint_restore", Map.of()));
        results.put(
                "usage_report",
                call(a, "usage_report", Map.of("model", "claude-sonnet-4-5", "inputTokens", 10, "outputTokens", 5)));
        call(a, "lease_acquire", Map.of("resource", "spec/H.java"));
        var created = call(a, "handoff_create", Map.of("to", "bob", "title", "h", "leases", List.of("spec/H.java")));
        results.put("handoff_create", created);
        String first = (String) structured(created).get("id");
        results.put("handoff_accept", call(b, "handoff_accept", Map.of("id", first)));
        results.put("handoff_complete", call(b, "handoff_complete", Map.of("id", first, "note", "done")));
        String second = (String) structured(call(a, "handoff_create", Map.of("to", "bob", "title", "h2")))
                .get("id");
        results.put("handoff_decline", call(b, "handoff_decline", Map.of("id", second, "reason", "busy")));
        String third = (String) structured(call(a, "handoff_create", Map.of("to", "pool:web", "title", "h3")))
                .get("id");
        results.put("handoff_cancel", call(a, "handoff_cancel", Map.of("id", third)));
        results.put("error_report", call(a, "error_report", Map.of("title", "Build failed", "level", "warning")));
        var task = call(a, "task_create", Map.of("title", "spec task"));
        results.put("task_create", task);
        String taskId = (String) structured(task).get("id");
        results.put("task_get", call(a, "task_get", Map.of("id", taskId)));
        results.put("task_list", call(a, "task_list", Map.of()));
        results.put("flags_get", call(a, "flags_get", Map.of()));
        var next = call(b, "task_next", Map.of());
        results.put("task_next", next);
        long claim = ((Number) structured(next).get("token")).longValue();
        results.put("task_renew", call(b, "task_renew", Map.of("id", taskId, "token", claim)));
        results.put("task_complete", call(b, "task_complete", Map.of("id", taskId, "token", claim, "result", "ok")));
        String failing = (String) structured(call(a, "task_create", Map.of("title", "spec task 2")))
                .get("id");
        long secondClaim = ((Number) structured(call(b, "task_next", Map.of())).get("token")).longValue();
        results.put("task_fail", call(b, "task_fail", Map.of("id", failing, "token", secondClaim, "reason", "no")));

        assertThat(results.keySet()).as("a call of every listed tool").containsAll(tools.keySet());
        results.forEach((name, result) -> {
            assertThat(result.isError()).as(name + ": " + text(result)).isFalse();
            assertThat(violations(tools.get(name), result.structuredContent()))
                    .as(name)
                    .isEmpty();
        });
    }

    @Test
    void the_schema_check_finds_content_that_does_not_conform() {
        assertThat(violations(tools.get("lease_acquire"), Map.of("resource", 7)))
                .isNotEmpty();
        assertThat(violations(tools.get("checkpoint_restore"), Map.of())).isNotEmpty();
    }

    @Test
    void handoff_targets_accept_what_the_description_says_and_role_means_capability() {
        assertThat(tools.get("handoff_create").inputSchema().toString()).contains(Target.FORMS);
        var role = call(a, "handoff_create", Map.of("to", "role:reviewer", "title", "r"));
        var capability = call(a, "handoff_create", Map.of("to", "capability:reviewer", "title", "c"));
        assertThat(structured(role)).containsEntry("to", "capability:reviewer");
        assertThat(structured(capability)).containsEntry("to", "capability:reviewer");
        assertThat(structured(call(a, "handoff_create", Map.of("to", "pool:web", "title", "p"))))
                .containsEntry("to", "pool:web");
        var refused = call(a, "handoff_create", Map.of("to", "team:web", "title", "t"));
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).isEqualTo("to must be " + Target.FORMS + "; got 'team:web'.");
        assertThat(problem(refused)).containsEntry("field", "to");
    }

    @Test
    void the_briefing_over_mcp_names_tools_not_rest_routes() {
        String id = (String) structured(call(a, "handoff_create", Map.of("to", "bob", "title", "brief me")))
                .get("id");
        String briefing = text(call(b, "hub_start", Map.of()));
        assertThat(briefing)
                .contains("accept with handoff_accept id=" + id)
                .contains("decline with handoff_decline id=" + id);
        // Messages are quoted as sent (a hub notice names both); the briefing's own lines name tools only.
        assertThat(briefing.lines().filter(l -> !l.strip().startsWith(">"))).noneMatch(l -> l.contains("/api/"));
        assertThat(tools.keySet()).contains("handoff_accept", "handoff_decline", "handoff_complete", "usage_report");
        call(b, "handoff_decline", Map.of("id", id));
    }

    @Test
    void calls_that_fail_the_call_tool_request_schema_are_protocol_errors_that_say_what_is_wrong() {
        String token = hub.agent("raw");
        JsonNode unknown = rpc(token, "{\"name\":\"lease_grab\",\"arguments\":{}}");
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(unknown.path("error").path("message").asString())
                .startsWith("Unknown tool: lease_grab. Call tools/list for the hub's tools: hub_start, ");
        JsonNode notAnObject = rpc(token, "{\"name\":\"lease_list\",\"arguments\":\"holder=bob\"}");
        assertThat(notAnObject.path("error").path("message").asString())
                .isEqualTo("tools/call: params.arguments must be an object when present.");
        JsonNode noName = rpc(token, "{\"arguments\":{}}");
        assertThat(noName.path("error").path("code").asInt()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        JsonNode fine = rpc(token, "{\"name\":\"lease_list\"}");
        assertThat(fine.path("result").path("isError").asBoolean()).isFalse();
    }

    private static JsonNode rpc(String token, String params) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":" + params + "}"));
        TestHub.Response r = hub.send(token, b);
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    private static List<String> violations(McpSchema.Tool tool, Object content) {
        Schema schema = SCHEMAS.getSchema(JsonCodec.MAPPER.writeValueAsString(tool.outputSchema()));
        return schema.validate(JsonCodec.MAPPER.valueToTree(content)).stream()
                .map(Object::toString)
                .toList();
    }
}
