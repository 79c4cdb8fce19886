package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.structured;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP lease tools make resource names canonical like REST does, and answer with the canonical name. */
class McpLeaseNamesTest {
    @Test
    void lease_tools_answer_with_the_canonical_resource_for_any_spelling() throws Exception {
        try (TestHub hub = new TestHub();
                McpSyncClient a = McpClients.http(hub.url(), hub.agent("alice"));
                McpSyncClient b = McpClients.http(hub.url(), hub.agent("bob"))) {
            var acquired = call(a, "lease_acquire", Map.of("resource", "./src//norm.ts"));
            assertThat(acquired.isError()).isFalse();
            assertThat(structured(acquired)).containsEntry("resource", "src/norm.ts");
            assertThat(text(acquired)).contains("src/norm.ts").doesNotContain("./src//norm.ts");
            long token = ((Number) structured(acquired).get("token")).longValue();

            var refused = call(b, "lease_acquire", Map.of("resource", "src/x/../norm.ts"));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).startsWith("src/norm.ts is held by alice");

            var absolute = call(b, "lease_check", Map.of("resources", java.util.List.of("/src/norm.ts")));
            assertThat(absolute.isError()).isTrue();
            assertThat(text(absolute)).contains("relative to the repository root");

            var released = call(a, "lease_release", Map.of("resource", "src\\norm.ts", "token", token));
            assertThat(released.isError()).isFalse();
            assertThat(text(released)).contains("Released `src/norm.ts`");
        }
    }
}
