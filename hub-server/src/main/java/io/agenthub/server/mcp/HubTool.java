package io.agenthub.server.mcp;

import io.agenthub.auth.Principal;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * One MCP tool of the hub: a stable name, a title for people, a precise description, its arguments, the shape of its
 * structured result and a handler that calls a service.
 *
 * @param readOnly true if the tool changes nothing (clients may call it without asking)
 * @param destructive true if it may remove or overwrite state (releases, deletions, withdrawals); false if it only adds
 * @param idempotent true if repeating the same call leaves the hub as the first call left it
 * @param output the JSON schema of the result's {@code structuredContent}
 */
record HubTool(
        String name,
        String title,
        String description,
        Params params,
        boolean readOnly,
        boolean destructive,
        boolean idempotent,
        Map<String, Object> output,
        Handler handler) {
    /** Calls a service as {@code caller}. Throws {@code HubException} for domain failures; returns the result. */
    @FunctionalInterface
    interface Handler {
        McpSchema.CallToolResult call(Principal caller, Args args);
    }

    /** A tool that changes nothing (so repeating it is harmless). */
    static HubTool read(
            String name, String title, String description, Params params, Map<String, Object> output, Handler handler) {
        return new HubTool(name, title, description, params, true, false, true, output, handler);
    }

    /** A tool that adds state: not destructive, not idempotent, until said otherwise. */
    static HubTool write(
            String name, String title, String description, Params params, Map<String, Object> output, Handler handler) {
        return new HubTool(name, title, description, params, false, false, false, output, handler);
    }

    /** The same tool, marked as one whose repetition changes nothing more. */
    HubTool asIdempotent() {
        return new HubTool(name, title, description, params, readOnly, destructive, true, output, handler);
    }

    /** The same tool, marked as one that removes or overwrites state. */
    HubTool asDestructive() {
        return new HubTool(name, title, description, params, readOnly, true, idempotent, output, handler);
    }

    McpSchema.Tool definition() {
        return McpSchema.Tool.builder(name, params.schema())
                .title(title)
                .description(description)
                .outputSchema(output)
                .annotations(McpSchema.ToolAnnotations.builder()
                        .readOnlyHint(readOnly)
                        .destructiveHint(destructive)
                        .idempotentHint(idempotent)
                        .openWorldHint(false)
                        .build())
                .build();
    }
}
