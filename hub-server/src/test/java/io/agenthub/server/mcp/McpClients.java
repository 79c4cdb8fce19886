package io.agenthub.server.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

/** MCP SDK clients for the tests. */
final class McpClients {
    private McpClients() {}

    /** An initialized client of {@code <baseUrl>/mcp} over Streamable HTTP with a bearer token (or none). */
    static McpSyncClient http(String baseUrl, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(baseUrl)
                        .endpoint("/mcp")
                        .requestBuilder(request)
                        .build())
                .requestTimeout(Duration.ofSeconds(30))
                .clientInfo(new McpSchema.Implementation("hub-test", "1"))
                .build();
        client.initialize();
        return client;
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    /** The text of a result's first content block. */
    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    /** The problem ({@code code}, {@code detail}, details) of an error result, from its {@code _meta}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> problem(McpSchema.CallToolResult result) {
        return (Map<String, Object>) result.meta().get(Results.PROBLEM);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }
}
