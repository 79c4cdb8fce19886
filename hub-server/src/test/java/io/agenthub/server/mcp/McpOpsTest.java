package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.agenthub.tier.Work;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MCP tool calls pass the same tier admission as HTTP routes and show up in the metrics and the caller's trail. */
class McpOpsTest {
    @Test
    void a_degraded_hub_refuses_new_work_over_mcp_too_and_tool_calls_are_measured() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("alice");
            McpSyncClient a = McpClients.http(hub.url(), token);
            try {
                hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "incident 9"));
                var refused = call(a, "lease_acquire", Map.of("resource", "x.java"));
                assertThat(refused.isError()).isTrue();
                assertThat(text(refused)).contains("tier 2 (reduced)", "incident 9", "core=true");
                assertThat(call(a, "hub_heartbeat", Map.of("status", "idle")).isError())
                        .as("upkeep passes")
                        .isFalse();
                assertThat(call(a, "chat_send", Map.of("text", "still talking")).isError())
                        .isFalse();
                hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "over"));
                assertThat(call(a, "lease_acquire", Map.of("resource", "x.java"))
                                .isError())
                        .isFalse();
            } finally {
                a.closeGracefully();
            }
            String metrics = hub.get(TestHub.ADMIN, "/metrics").raw().body();
            assertThat(metrics)
                    .contains(
                            "hub_mcp_tool_calls_seconds_count{outcome=\"error\",tool=\"lease_acquire\"} 1",
                            "hub_mcp_tool_calls_seconds_count{outcome=\"ok\",tool=\"lease_acquire\"} 1");
            assertThat(hub.get(TestHub.ADMIN, "/api/trace?agentId=alice").raw().body())
                    .contains("mcp lease_acquire", "tier_restricted");
        }
    }

    @Test
    void over_mcp_accepting_a_handoff_is_new_work_while_handing_over_and_usage_reports_are_upkeep() throws Exception {
        try (TestHub hub = new TestHub()) {
            McpSyncClient a = McpClients.http(hub.url(), hub.agent("alice"));
            McpSyncClient b = McpClients.http(hub.url(), hub.agent("bob"));
            try {
                hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 2, "reason", "incident 9"));
                String first = handOver(a);
                var refused = call(b, "handoff_accept", Map.of("id", first));
                assertThat(refused.isError()).isTrue();
                assertThat(text(refused))
                        .contains("tier 2 (reduced)", "incident 9", "take new work", "retry after 60 s");
                assertThat(call(
                                        b,
                                        "usage_report",
                                        Map.of("model", "claude-haiku-4-5", "inputTokens", 100, "outputTokens", 10))
                                .isError())
                        .isFalse();

                hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 3, "reason", "solo", "agent", "alice"));
                assertThat(text(call(b, "handoff_accept", Map.of("id", first)))).contains("only alice takes new work");

                hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 1, "reason", "over"));
                var accepted = call(b, "handoff_accept", Map.of("id", first));
                assertThat(accepted.isError()).as(text(accepted)).isFalse();

                hub.post(TestHub.ADMIN, "/api/tier", Map.of("tier", 4, "reason", "maintenance"));
                String second = handOver(a);
                assertThat(text(call(b, "handoff_accept", Map.of("id", second))))
                        .contains("tier 4 (maintenance)");
                var done = call(b, "handoff_complete", Map.of("id", first, "note", "merged"));
                assertThat(done.isError()).as(text(done)).isFalse();
                assertThat(call(
                                        a,
                                        "usage_report",
                                        Map.of("model", "claude-haiku-4-5", "inputTokens", 100, "outputTokens", 10))
                                .isError())
                        .isFalse();
            } finally {
                a.closeGracefully();
                b.closeGracefully();
            }
        }
    }

    @Test
    void every_mcp_tool_with_a_rest_twin_declares_the_same_work() throws Exception {
        Map<String, String> twins = new LinkedHashMap<>();
        twins.put("lease_acquire", "POST /api/leases");
        twins.put("lease_renew", "POST /api/leases/renew");
        twins.put("lease_release", "POST /api/leases/release");
        twins.put("lease_check", "GET /api/leases/check");
        twins.put("lease_list", "GET /api/leases");
        twins.put("chat_send", "POST /api/chat");
        twins.put("chat_read", "GET /api/chat");
        twins.put("dm_send", "POST /api/dm");
        twins.put("memory_remember", "POST /api/memories");
        twins.put("memory_recall", "GET /api/memories");
        twins.put("checkpoint_save", "POST /api/checkpoints");
        twins.put("checkpoint_restore", "GET /api/checkpoints");
        twins.put("hub_heartbeat", "POST /api/heartbeat");
        twins.put("usage_report", "POST /api/usage");
        twins.put("handoff_create", "POST /api/handoffs");
        twins.put("handoff_accept", "POST /api/handoffs/{id}/accept");
        twins.put("handoff_complete", "POST /api/handoffs/{id}/complete");
        try (TestHub hub = new TestHub()) {
            Map<String, Work> routes = hub.hub().routeWork();
            McpSyncClient a = McpClients.http(hub.url(), hub.agent("alice"));
            try {
                for (McpSchema.Tool tool : a.listTools().tools()) {
                    String route = twins.get(tool.name());
                    if (route != null) {
                        assertThat(routes).containsKey(route);
                        assertThat(McpEndpoint.work(
                                        tool.name(),
                                        Boolean.TRUE.equals(tool.annotations().readOnlyHint())))
                                .as("%s and %s", tool.name(), route)
                                .isEqualTo(routes.get(route));
                    }
                }
            } finally {
                a.closeGracefully();
            }
        }
    }

    private static String handOver(McpSyncClient from) {
        var created = call(from, "handoff_create", Map.of("to", "bob", "title", "finish H"));
        assertThat(created.isError()).as(text(created)).isFalse();
        return (String) McpClients.structured(created).get("id");
    }
}
