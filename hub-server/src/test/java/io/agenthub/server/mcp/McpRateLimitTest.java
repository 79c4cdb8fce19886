package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat through MCP takes from the same chat allowance as POST /api/chat: a flood cannot switch protocols. */
class McpRateLimitTest {
    @Test
    void chat_sent_through_mcp_and_rest_shares_one_chat_bucket() throws Exception {
        try (TestHub hub = new TestHub(Map.of("rate-limit-chat", "6,3"), Clock.systemUTC())) {
            String token = hub.agent("ada");
            assertThat(hub.post(token, "/api/chat", Map.of("channel", "general", "text", "over REST"))
                            .status())
                    .isEqualTo(201);
            try (McpSyncClient ada = McpClients.http(hub.url(), token)) {
                assertThat(call(ada, "chat_send", Map.of("text", "one")).isError())
                        .isFalse();
                assertThat(call(ada, "chat_send", Map.of("text", "two")).isError())
                        .isFalse();
                McpSchema.CallToolResult limited = call(ada, "chat_send", Map.of("text", "three"));
                assertThat(limited.isError()).isTrue();
                assertThat(text(limited)).contains("Agent ada", "rate-limit-chat", "Retry after");
                assertThat(call(ada, "chat_read", Map.of()).isError())
                        .as("reads still work")
                        .isFalse();
            }
        }
    }
}
