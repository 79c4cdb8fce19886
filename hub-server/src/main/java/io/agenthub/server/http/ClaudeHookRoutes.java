package io.agenthub.server.http;

import io.agenthub.server.claude.ClaudeHooks;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.tier.Work;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /hooks/claude/{event}}: Claude Code's HTTP hooks. The body is the event's JSON as Claude Code posts it;
 * the answer is the hook output JSON Claude Code reads. The agent is the bearer token's; {@code X-Hub-Repository} and
 * {@code X-Hub-Project-Dir} (written by {@code hub claude init}) name the repository and the checkout's root. An
 * {@code X-Hub-Agent} header, when not empty, must name the token's agent, so that a token inherited from another
 * shell cannot act as someone else unnoticed.
 */
public final class ClaudeHookRoutes {
    private final ClaudeHooks hooks;

    public ClaudeHookRoutes(ClaudeHooks hooks) {
        this.hooks = hooks;
    }

    public void register(Router r) {
        // Upkeep: the hooks save checkpoints, report usage and refuse edits, which must work in every tier; a lease
        // the PreToolUse hook acquires itself still passes the tier's check in LeaseService.
        r.post("/hooks/claude/{event}", Access.WRITE, Work.UPKEEP, call -> {
            ClaudeHooks.Event event = ClaudeHooks.Event.of(call.path("event"));
            String agent = call.header("X-Hub-Agent");
            if (agent != null
                    && !agent.isBlank()
                    && !agent.strip().equals(call.principal().id())) {
                throw new io.agenthub.error.HubException.Forbidden(
                        "The token belongs to " + call.principal().id() + " but X-Hub-Agent names " + agent.strip()
                                + ": unset the inherited HUB_TOKEN or HUB_AGENT_ID so that both name one agent.");
            }
            JsonNode input = call.bodyOr(JsonNode.class, JsonCodec.MAPPER.createObjectNode());
            return Reply.ok(hooks.handle(
                    event,
                    call.principal(),
                    input,
                    new ClaudeHooks.Project(call.header("X-Hub-Repository"), call.header("X-Hub-Project-Dir"))));
        });
    }
}
