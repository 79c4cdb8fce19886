package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.structured;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Usage;
import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider status of a usage report counts towards the LLM throttling rule the same way through every door: the
 * MCP tool {@code usage_report}, hub-client's {@code Usage.Report} and {@code POST /api/usage}.
 */
class McpUsageStatusTest {
    private static final Map<String, String> RULE = Map.of(
            "llm-throttle-rate", "6,2", "llm-backoff-delay", "9s", "llm-backoff-hold", "1m", "rate-limit-writes", "0");

    @Test
    void a_429_reported_with_the_mcp_tool_and_the_client_counts_towards_the_back_off() throws Exception {
        try (TestHub hub = new TestHub(RULE, Clock.systemUTC())) {
            McpSyncClient mcp = McpClients.http(hub.url(), hub.agent("mcp-agent"));
            HubClient client = client(hub);
            try {
                var first = call(
                        mcp,
                        "usage_report",
                        Map.of("model", "claude-haiku-4-5", "inputTokens", 10, "outputTokens", 1, "status", 429));
                assertThat(first.isError()).as(text(first)).isFalse();
                assertThat(structured(first)).containsEntry("directive", "ok");
                Usage.Receipt second =
                        client.usage().report(new Usage.Report("claude-haiku-4-5", 10L, 1L, null, null, null, 529));
                assertThat(second.directive()).isEqualToIgnoringCase("ok");
                // The third throttling report finds the fleet's bucket (burst 2) empty: the back-off starts with it.
                var third = call(
                        mcp,
                        "usage_report",
                        Map.of("model", "claude-haiku-4-5", "inputTokens", 10, "outputTokens", 1, "status", 429));
                assertThat(structured(third))
                        .containsEntry("directive", "slow_down")
                        .containsEntry("delaySeconds", 9);
                Usage.Receipt plain =
                        client.usage().report(new Usage.Report("claude-haiku-4-5", 10L, 1L, null, null, null));
                assertThat(plain.directive()).isEqualToIgnoringCase("slow_down");
                assertThat(plain.reason()).contains("429/529");
            } finally {
                mcp.closeGracefully();
            }
        }
    }

    @Test
    void statuses_other_than_throttling_do_not_count_and_impossible_ones_are_refused() throws Exception {
        try (TestHub hub = new TestHub(RULE, Clock.systemUTC())) {
            McpSyncClient mcp = McpClients.http(hub.url(), hub.agent("mcp-agent"));
            HubClient client = client(hub);
            try {
                for (int i = 0; i < 4; i++) {
                    var ok = call(
                            mcp,
                            "usage_report",
                            Map.of("model", "claude-haiku-4-5", "inputTokens", 10, "outputTokens", 1, "status", 500));
                    assertThat(structured(ok)).containsEntry("directive", "ok");
                }
                var refused = call(
                        mcp,
                        "usage_report",
                        Map.of("model", "claude-haiku-4-5", "inputTokens", 10, "outputTokens", 1, "status", 4290));
                assertThat(refused.isError()).isTrue();
                assertThat(text(refused)).contains("status");
                assertThatThrownBy(() -> client.usage()
                                .report(new Usage.Report("claude-haiku-4-5", 10L, 1L, null, null, null, 42)))
                        .isInstanceOf(HubProblem.class)
                        .hasMessageContaining("status");
            } finally {
                mcp.closeGracefully();
            }
        }
    }

    private static HubClient client(TestHub hub) {
        return HubClient.builder()
                .urls(hub.url())
                .token(hub.agent("client-agent"))
                .build();
    }
}
