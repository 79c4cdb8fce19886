package io.agenthub.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Answers the {@code tools/call} requests that the protocol counts as malformed (2025-11-25, "Error Handling": unknown
 * tools and requests that fail the {@code CallToolRequest} schema) with a JSON-RPC error {@code -32602} whose message
 * names the tool and says what to do, before the SDK (whose own message does not name the tool) sees them. Everything
 * else passes to the SDK's handler unchanged; the wrapped transport keeps serving HTTP.
 */
final class ToolNames implements McpStatelessServerTransport {
    private static final int LISTED = 40;

    private final McpStatelessServerTransport transport;
    private final Set<String> names;
    private final String known;

    ToolNames(McpStatelessServerTransport transport, List<String> names) {
        this.transport = transport;
        this.names = Set.copyOf(names);
        this.known = String.join(", ", names.size() > LISTED ? names.subList(0, LISTED) : names);
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        transport.setMcpHandler(new McpStatelessServerHandler() {
            @Override
            public Mono<McpSchema.JSONRPCResponse> handleRequest(
                    McpTransportContext context, McpSchema.JSONRPCRequest request) {
                String refusal =
                        McpSchema.METHOD_TOOLS_CALL.equals(request.method()) ? refusal(request.params()) : null;
                if (refusal != null) {
                    return Mono.just(McpSchema.JSONRPCResponse.error(
                            request.id(),
                            new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, refusal)));
                }
                return handler.handleRequest(context, request);
            }

            @Override
            public Mono<Void> handleNotification(
                    McpTransportContext context, McpSchema.JSONRPCNotification notification) {
                return handler.handleNotification(context, notification);
            }
        });
    }

    /** Why a {@code tools/call} is malformed, or null if it names a tool of the hub with an object of arguments. */
    String refusal(Object params) {
        if (!(params instanceof Map<?, ?> p)) {
            return "tools/call needs params with the tool's name and its arguments.";
        }
        if (!(p.get("name") instanceof String name)) {
            return "tools/call needs the tool's name in params.name; the tools are " + known + ".";
        }
        if (!names.contains(name)) {
            return "Unknown tool: " + clip(name) + ". Call tools/list for the hub's tools: " + known + ".";
        }
        Object arguments = p.get("arguments");
        if (arguments != null && !(arguments instanceof Map)) {
            return "tools/call " + name + ": arguments must be a JSON object of named arguments.";
        }
        return null;
    }

    private static String clip(String name) {
        return name.length() > 80 ? name.substring(0, 80) + "..." : name;
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return transport.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
        return transport.protocolVersions();
    }
}
