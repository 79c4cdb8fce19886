package io.agenthub.server.mcp;

import io.agenthub.agent.AgentService;
import io.agenthub.auth.Principal;
import io.agenthub.hotstart.HotStart;
import io.agenthub.hotstart.HotStartService;
import io.agenthub.hotstart.Surface;
import io.agenthub.lease.LeaseService;
import io.agenthub.message.MessageService;
import io.agenthub.server.wire.JsonCodec;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Read-only views as MCP resources (the caller's inbox, the active leases, the team) and the {@code hot_start} prompt.
 * Reading a resource changes nothing: the inbox view does not acknowledge.
 */
final class HubResources {
    static final String INBOX = "hub://inbox";
    static final String LEASES = "hub://leases";
    static final String TEAM = "hub://team";
    static final String PROMPT = "hot_start";

    private final AgentService agents;
    private final LeaseService leases;
    private final MessageService messages;
    private final HotStartService hotStart;

    HubResources(AgentService agents, LeaseService leases, MessageService messages, HotStartService hotStart) {
        this.agents = agents;
        this.leases = leases;
        this.messages = messages;
        this.hotStart = hotStart;
    }

    List<McpStatelessServerFeatures.SyncResourceSpecification> resources() {
        return List.of(
                resource(
                        INBOX,
                        "inbox",
                        "Your unacknowledged direct messages, notices and mentions (reading does not acknowledge).",
                        caller -> messages.unread(caller.id(), messages.policy().maxLimit())),
                resource(
                        LEASES,
                        "leases",
                        "Every active lease: resource, holder, token, expiry.",
                        caller -> Map.of("leases", leases.active())),
                resource(
                        TEAM,
                        "team",
                        "Every registered agent with presence, status and current task.",
                        caller -> Map.of("agents", agents.list())));
    }

    List<McpStatelessServerFeatures.SyncPromptSpecification> prompts() {
        McpSchema.Prompt prompt = new McpSchema.Prompt(
                PROMPT,
                "Your hot-start briefing (soul injection): identity, checkpoint, leases, unread messages, team,"
                        + " chat and memories.",
                List.of(new McpSchema.PromptArgument("maxChars", "Size budget in characters; default 24000", false)));
        return List.of(new McpStatelessServerFeatures.SyncPromptSpecification(prompt, (ctx, req) -> {
            Principal caller = McpEndpoint.caller(ctx);
            Integer maxChars = maxChars(req.arguments());
            HotStart bundle = McpEndpoint.guard(() -> hotStart.build(caller, null, maxChars, Surface.MCP));
            return new McpSchema.GetPromptResult(
                    "Hot-start briefing for " + bundle.agent().id(),
                    List.of(new McpSchema.PromptMessage(
                            McpSchema.Role.USER, new McpSchema.TextContent(bundle.prompt()))));
        }));
    }

    private static McpStatelessServerFeatures.SyncResourceSpecification resource(
            String uri, String name, String description, Function<Principal, Object> view) {
        McpSchema.Resource resource = McpSchema.Resource.builder(uri, name)
                .description(description)
                .mimeType("application/json")
                .build();
        return new McpStatelessServerFeatures.SyncResourceSpecification(
                resource, (McpTransportContext ctx, McpSchema.ReadResourceRequest req) -> {
                    Principal caller = McpEndpoint.caller(ctx);
                    Object value = McpEndpoint.guard(() -> view.apply(caller));
                    String json = JsonCodec.MAPPER.writeValueAsString(value);
                    return new McpSchema.ReadResourceResult(
                            List.of(new McpSchema.TextResourceContents(uri, "application/json", json)));
                });
    }

    private static Integer maxChars(Map<String, Object> arguments) {
        Object v = arguments == null ? null : arguments.get("maxChars");
        if (v == null || v.toString().isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.toString().strip());
        } catch (NumberFormatException e) {
            // A prompt has no isError result: a bad argument stays a protocol error.
            throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
                    .message("hot_start: argument 'maxChars' must be a whole number; got '" + v + "'.")
                    .build();
        }
    }
}
