package io.agenthub.server.mcp;

import static io.agenthub.server.mcp.Params.Type.INTEGER;
import static io.agenthub.server.mcp.Params.Type.STRING;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.AgentStatus;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.digest.Digest;
import io.agenthub.digest.DigestService;
import io.agenthub.hotstart.HotStart;
import io.agenthub.hotstart.HotStartService;
import io.agenthub.hotstart.Surface;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import io.agenthub.message.MessageService;
import io.agenthub.server.wire.Since;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Session tools: start (soul injection), heartbeat, status and digest, on the same services as the REST API. */
final class SessionTools {
    private static final List<String> STATUSES = List.of("active", "idle", "busy", "blocked");

    private final AgentService agents;
    private final LeaseService leases;
    private final MessageService messages;
    private final HotStartService hotStart;
    private final DigestService digest;
    private final InstantSource clock;

    SessionTools(
            AgentService agents,
            LeaseService leases,
            MessageService messages,
            HotStartService hotStart,
            DigestService digest,
            InstantSource clock) {
        this.agents = agents;
        this.leases = leases;
        this.messages = messages;
        this.hotStart = hotStart;
        this.digest = digest;
        this.clock = clock;
    }

    List<HubTool> tools() {
        return List.of(
                HubTool.write(
                                "hub_start",
                                "Start a session",
                                "Call first in every session. Marks you online and returns your hot-start briefing: who you"
                                        + " are, your latest checkpoint, leases you still hold, unread messages, the team,"
                                        + " recent chat and relevant memories. Follow its closing steps.",
                                Params.of()
                                        .optional(
                                                "currentTask",
                                                STRING,
                                                "What you are about to work on, shown to the team")
                                        .optional("maxChars", INTEGER, "Size budget of the briefing; default 24000"),
                                Shapes.object(
                                        "agentId:string",
                                        "checkpointVersion:integer?",
                                        "leases:array",
                                        "unread:integer",
                                        "inboxCursor:integer",
                                        "omitted:object",
                                        "promptChars:integer"),
                                this::start)
                        .asIdempotent(),
                HubTool.write(
                                "hub_heartbeat",
                                "Heartbeat",
                                "Report that you are alive and what you are doing; call every minute or so while you work."
                                        + " Silent agents go stale and lose their leases.",
                                Params.of()
                                        .choice("status", "Your state", false, STATUSES)
                                        .optional("currentTask", STRING, "What you are working on")
                                        .optional("contextTokens", INTEGER, "Size of your context window in use"),
                                Shapes.object(Shapes.AGENT),
                                (caller, a) -> {
                                    String status = a.string("status");
                                    Agent agent = agents.heartbeat(
                                            caller,
                                            status == null
                                                    ? null
                                                    : AgentStatus.valueOf(status.toUpperCase(Locale.ROOT)),
                                            a.string("currentTask"),
                                            a.integer("contextTokens"));
                                    return Results.ok("Heartbeat recorded: " + Lines.agent(agent) + ".", agent);
                                })
                        .asIdempotent(),
                HubTool.read(
                        "hub_status",
                        "Hub status",
                        "Who you are, the team with presence and current tasks, your leases and unread count.",
                        Params.none(),
                        Shapes.object(
                                "id:string",
                                "role:string",
                                "leases:array",
                                "unread:integer",
                                "activeLeases:integer",
                                "team:array"),
                        this::status),
                HubTool.read(
                        "hub_digest",
                        "Digest",
                        "Summary of what happened since a time: who is online, what needs your attention (mentions,"
                                + " blocked or stale agents, expiring leases) and recent activity.",
                        Params.of()
                                .optional("since", STRING, "ISO-8601 time or an age such as 30m, 2h, 1d; default 24h"),
                        Shapes.object(
                                "agentId:string",
                                "registered:boolean",
                                "since:string",
                                "until:string",
                                "online:array",
                                "attention:object",
                                "activity:object"),
                        (caller, a) -> {
                            Digest d = digest.build(caller, null, Since.parse(a.string("since"), clock));
                            Map<String, Object> out = Results.json(d);
                            out.remove("markdown");
                            return Results.ok(d.markdown(), out);
                        }));
    }

    private io.modelcontextprotocol.spec.McpSchema.CallToolResult start(Principal caller, Args a) {
        Integer maxChars = a.smallInteger("maxChars");
        if (caller.role() == Role.AGENT) {
            agents.heartbeat(caller, AgentStatus.ACTIVE, a.string("currentTask"), null);
        }
        HotStart bundle = hotStart.build(caller, null, maxChars, Surface.MCP);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agentId", bundle.agent().id());
        out.put(
                "checkpointVersion",
                bundle.checkpoint() == null ? null : bundle.checkpoint().version());
        out.put(
                "leases",
                bundle.leases().stream()
                        .map(l -> Map.of("resource", l.resource(), "token", l.token(), "expiresAt", l.expiresAt()))
                        .toList());
        out.put("unread", bundle.inbox().size());
        out.put("inboxCursor", bundle.inboxCursor());
        out.put("omitted", bundle.omitted());
        out.put("promptChars", bundle.promptChars());
        return Results.ok(bundle.prompt(), out);
    }

    private io.modelcontextprotocol.spec.McpSchema.CallToolResult status(Principal caller, Args a) {
        List<Agent> team = agents.list();
        List<Lease> mine = leases.heldBy(caller.id());
        int unread = messages.unread(caller.id(), messages.policy().maxLimit())
                .messages()
                .size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", caller.id());
        out.put("role", caller.role());
        out.put("leases", mine);
        out.put("unread", unread);
        out.put("activeLeases", leases.active().size());
        out.put("team", team);
        String text = "You are " + caller.id() + " (" + caller.role().name().toLowerCase(Locale.ROOT) + "); "
                + mine.size() + " lease(s) held, " + unread
                + (unread == messages.policy().maxLimit() ? "+" : "")
                + " unread message(s).\n"
                + Lines.list("Team:", team, Lines::agent)
                + (mine.isEmpty() ? "" : "\n" + Lines.list("Your leases:", mine, Lines::lease));
        return Results.ok(text, out);
    }
}
