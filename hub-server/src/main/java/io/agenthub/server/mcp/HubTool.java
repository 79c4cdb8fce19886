package io.agenthub.server.mcp;

import io.agenthub.auth.Principal;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * One MCP tool of the hub: a stable name, a precise description, its arguments and a handler that calls a service.
 *
 * @param readOnly true if the tool changes nothing (clients may call it without asking)
 */
record HubTool(String name, String description, Params params, boolean readOnly, Handler handler) {
    /** Calls a service as {@code caller}. Throws {@code HubException} for domain failures; returns the result. */
    @FunctionalInterface
    interface Handler {
        McpSchema.CallToolResult call(Principal caller, Args args);
    }

    static HubTool read(String name, String description, Params params, Handler handler) {
        return new HubTool(name, description, params, true, handler);
    }

    static HubTool write(String name, String description, Params params, Handler handler) {
        return new HubTool(name, description, params, false, handler);
    }

    McpSchema.Tool definition() {
        return McpSchema.Tool.builder(name, params.schema())
                .description(description)
                .annotations(McpSchema.ToolAnnotations.builder()
                        .readOnlyHint(readOnly)
                        .openWorldHint(false)
                        .build())
                .build();
    }
}
