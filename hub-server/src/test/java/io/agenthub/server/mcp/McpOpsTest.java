package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
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
}
