package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.McpClients.call;
import static io.agenthub.server.mcp.McpClients.structured;
import static io.agenthub.server.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The work-queue tools call the same service as /api/tasks: create, next, renew, complete, fail, get, list. */
class McpTaskToolsTest {
    @Test
    void an_agent_gets_its_work_through_the_task_tools() throws Exception {
        try (TestHub hub = new TestHub()) {
            McpSyncClient planner = McpClients.http(hub.url(), hub.agent("planner"));
            McpSyncClient worker = McpClients.http(hub.url(), hub.agent("worker", Map.of("pool", "web")));
            try {
                McpSchema.CallToolResult created = call(
                        planner,
                        "task_create",
                        Map.of("title", "Fix login", "body", "see issue 7", "pool", "web", "labels", List.of("bug")));
                assertThat(created.isError()).as(text(created)).isFalse();
                String id = (String) structured(created).get("id");
                assertThat(text(created)).contains("Queued " + id);

                McpSchema.CallToolResult next = call(worker, "task_next", Map.of("wait", 1));
                assertThat(next.isError()).as(text(next)).isFalse();
                assertThat(text(next)).contains("Claimed " + id, "see issue 7");
                long token = ((Number) structured(next).get("token")).longValue();

                assertThat(call(worker, "task_renew", Map.of("id", id, "token", token, "ttlSeconds", 120))
                                .isError())
                        .isFalse();
                McpSchema.CallToolResult stale = call(worker, "task_complete", Map.of("id", id, "token", token + 100));
                assertThat(stale.isError()).isTrue();
                assertThat(text(stale)).contains("Cannot complete task " + id);
                McpSchema.CallToolResult done =
                        call(worker, "task_complete", Map.of("id", id, "token", token, "result", "fixed"));
                assertThat(done.isError()).as(text(done)).isFalse();

                assertThat(text(call(worker, "task_next", Map.of()))).contains("No task for you now");
                assertThat(text(call(planner, "task_get", Map.of("id", id)))).contains("done", "3 event(s)");
                assertThat(text(call(planner, "task_list", Map.of("state", "done", "label", "bug"))))
                        .contains("1 task(s)", id);

                String second = (String) structured(call(planner, "task_create", Map.of("title", "x", "pool", "web")))
                        .get("id");
                long t2 = ((Number)
                                structured(call(worker, "task_next", Map.of())).get("token"))
                        .longValue();
                McpSchema.CallToolResult failed =
                        call(worker, "task_fail", Map.of("id", second, "token", t2, "reason", "flaky"));
                assertThat(text(failed)).contains("is now failed");
            } finally {
                planner.closeGracefully();
                worker.closeGracefully();
            }
        }
    }
}
