package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage reported with the MCP tool counts in the same metrics as usage reported over REST. */
class McpUsageMetricsTest {
    @Test
    void usage_reported_over_mcp_and_rest_adds_up_in_the_scrape() throws Exception {
        try (TestHub hub = new TestHub()) {
            String token = hub.agent("alice");
            McpSyncClient a = McpClients.http(hub.url(), token);
            try {
                var reported = call(
                        a, "usage_report", Map.of("model", "claude-haiku-4-5", "inputTokens", 100, "outputTokens", 10));
                assertThat(reported.isError()).as(text(reported)).isFalse();
            } finally {
                a.closeGracefully();
            }
            hub.post(token, "/api/usage", Map.of("model", "claude-haiku-4-5", "inputTokens", 900, "outputTokens", 0));
            // Haiku: $1 in, $5 out per million tokens: 1000 in and 10 out are $0.00105.
            assertThat(hub.get(TestHub.ADMIN, "/metrics").raw().body())
                    .contains(
                            "hub_tokens_total{kind=\"input\"} 1000.0",
                            "hub_tokens_total{kind=\"output\"} 10.0",
                            "hub_cost_usd_total 0.00105");
        }
    }
}
