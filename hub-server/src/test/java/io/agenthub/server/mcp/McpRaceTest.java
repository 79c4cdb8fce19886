package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two agents working through MCP race for the same file. */
class McpRaceTest {
    @Test
    void exactly_one_agent_gets_the_file_and_the_other_sees_who_holds_it() throws Exception {
        try (TestHub hub = new TestHub();
                McpSyncClient ada = McpClients.http(hub.url(), hub.agent("ada"));
                McpSyncClient ben = McpClients.http(hub.url(), hub.agent("ben"));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 25; round++) {
                String file = "src/race/File" + round + ".java";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<McpSchema.CallToolResult>> results = new ArrayList<>();
                for (McpSyncClient client : List.of(ada, ben)) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return call(client, "lease_acquire", Map.of("resource", file));
                    }));
                }
                go.countDown();
                McpSchema.CallToolResult first = results.get(0).get();
                McpSchema.CallToolResult second = results.get(1).get();
                assertThat(List.of(first.isError(), second.isError()))
                        .as("round %d", round)
                        .containsExactlyInAnyOrder(true, false);
                McpSchema.CallToolResult won = first.isError() ? second : first;
                McpSchema.CallToolResult lost = first.isError() ? first : second;
                String winner = (String) McpClients.structured(won).get("holder");
                assertThat(text(lost)).startsWith(file + " is held by " + winner + " until ");
                assertThat(McpClients.problem(lost))
                        .containsEntry("code", "lease_held")
                        .containsEntry("holder", winner);
                assertThat(hub.hub().services.leases.active())
                        .filteredOn(l -> l.resource().equals(file))
                        .singleElement()
                        .satisfies(l -> assertThat(l.holder()).isEqualTo(winner));
            }
        }
    }
}
