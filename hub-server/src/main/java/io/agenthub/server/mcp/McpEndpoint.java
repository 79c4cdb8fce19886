package io.agenthub.server.mcp;

import io.agenthub.agent.AgentService;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.checkpoint.CheckpointService;
import io.agenthub.digest.DigestService;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.handoff.HandoffService;
import io.agenthub.hotstart.HotStartService;
import io.agenthub.lease.LeaseService;
import io.agenthub.memory.MemoryService;
import io.agenthub.message.MessageService;
import io.agenthub.pool.PoolService;
import io.agenthub.ratelimit.RateLimiter;
import io.agenthub.task.TaskService;
import io.agenthub.tier.Work;
import io.agenthub.usage.UsageService;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub over the Model Context Protocol: Streamable HTTP at {@value #PATH}, served by the MCP SDK's stateless
 * transport so that any hub node can answer any request (no session lives in this process). Every tool, resource and
 * prompt is a thin adapter over the same service objects as the REST API.
 *
 * <p>Identity comes only from the bearer token: {@link McpAuthFilter} authenticates each request and hands the
 * {@link Principal} to the handlers through the transport context.
 *
 * <p>Errors, as the 2025-11-25 protocol asks: a {@link HubException} from a tool, and an argument that is missing, of
 * the wrong type, out of range, not one of its choices or unknown, become a result with {@code isError: true} and a
 * sentence the model can act on; an unknown tool or {@code arguments} that are not an object are JSON-RPC errors
 * {@code -32602} naming what was wrong ({@link ToolNames}); an unexpected failure is {@code -32603} with an error id,
 * logged once.
 */
public final class McpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);

    /** Where the endpoint is mounted. */
    public static final String PATH = "/mcp";

    static final String PRINCIPAL = "agenthub.principal";

    /**
     * What each tool does for the degradation tiers (see {@link Work}), the same as its REST route declares; tools not
     * listed are reads when read-only and writes otherwise.
     */
    static final Map<String, Work> WORK = Map.ofEntries(
            Map.entry("lease_acquire", Work.NEW_WORK),
            Map.entry("lease_release", Work.UPKEEP),
            Map.entry("hub_heartbeat", Work.UPKEEP),
            Map.entry("hub_start", Work.UPKEEP),
            Map.entry("checkpoint_save", Work.UPKEEP),
            Map.entry("usage_report", Work.UPKEEP),
            Map.entry("error_report", Work.UPKEEP),
            Map.entry("handoff_create", Work.UPKEEP),
            Map.entry("handoff_accept", Work.NEW_WORK),
            Map.entry("handoff_decline", Work.UPKEEP),
            Map.entry("handoff_complete", Work.UPKEEP),
            Map.entry("handoff_cancel", Work.UPKEEP),

            // TaskService.claim applies the tier rules itself (tier 3 waits instead of refusing).
            Map.entry("task_next", Work.UPKEEP),
            Map.entry("task_renew", Work.UPKEEP),
            Map.entry("task_complete", Work.UPKEEP),
            Map.entry("task_fail", Work.UPKEEP));

    /** What the endpoint calls around every tool call: admission (the tier) and observation (metrics, trails). */
    public interface ToolHook {
        /** Before the handler; throw a {@link HubException} to refuse (the caller gets an error result). */
        void admit(Principal caller, Work work);

        /**
         * After the call.
         *
         * @param code the problem code of a refused call, {@code internal} for an unexpected failure, else null
         * @param failure the unexpected exception, or null
         */
        void completed(String tool, Principal caller, String code, long nanos, Throwable failure);
    }

    private volatile ToolHook hook = new ToolHook() {
        @Override
        public void admit(Principal caller, Work work) {}

        @Override
        public void completed(String tool, Principal caller, String code, long nanos, Throwable failure) {}
    };

    private final List<HubTool> tools;
    private final HttpServletStatelessServerTransport transport;
    private final McpStatelessSyncServer server;
    private final McpAuthFilter filter;
    private volatile RateLimiter limiter = RateLimiter.NONE;
    private volatile io.agenthub.audit.SecurityEvents security = io.agenthub.audit.SecurityEvents.NONE;
    private final McpInputFilter input;

    /** The services the tools call; the same objects the REST routes use. */
    public record Services(
            AuthService auth,
            AgentService agents,
            LeaseService leases,
            MessageService messages,
            MemoryService memories,
            CheckpointService checkpoints,
            HotStartService hotStart,
            DigestService digest,
            UsageService usage,
            HandoffService handoffs,
            ErrorLogService errors,
            TaskService tasks,
            PoolService pools,
            InstantSource clock,
            io.agenthub.flag.FlagService flags) {}

    public McpEndpoint(Services s, OriginGuard guard, int maxBodyBytes, String version) {
        tools = new ArrayList<>();
        tools.addAll(
                new SessionTools(s.agents(), s.leases(), s.messages(), s.hotStart(), s.digest(), s.clock()).tools());
        tools.addAll(new LeaseTools(s.leases()).tools());
        tools.addAll(new MessageTools(s.messages()).tools());
        tools.addAll(new MemoryTools(s.memories()).tools());
        tools.addAll(new CheckpointTools(s.checkpoints()).tools());
        tools.addAll(new LifecycleTools(s.usage(), s.handoffs()).tools());
        tools.addAll(new ErrorTools(s.errors()).tools());
        tools.addAll(new TaskTools(s.tasks(), s.pools()).tools());
        tools.addAll(new FlagTools(s.flags()).tools());
        HubResources resources = new HubResources(s.agents(), s.leases(), s.messages(), s.hotStart());

        transport = HttpServletStatelessServerTransport.builder()
                .messageEndpoint(PATH)
                .maxRequestSize(maxBodyBytes)
                .contextExtractor(request -> {
                    Object principal = request.getAttribute(PRINCIPAL);
                    return principal == null
                            ? McpTransportContext.EMPTY
                            : McpTransportContext.create(Map.of(PRINCIPAL, principal));
                })
                .build();
        server = McpServer.sync(new ToolNames(transport, toolNames()))
                .serverInfo("agent-hub", version)
                .instructions("Agent Hub coordinates a team of agents. Call hub_start first; lease files before you"
                        + " edit them and release them when done; heartbeat while you work; save checkpoints.")
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .resources(false, false)
                        .prompts(false)
                        .build())
                // Tool handlers are synchronous and run on the request's virtual thread.
                .immediateExecution(true)
                // Arguments are checked by Params, whose sentences name the argument and what to send instead.
                .validateToolInputs(false)
                .tools(tools.stream().map(this::specification).toList())
                .resources(resources.resources())
                .prompts(resources.prompts())
                .build();
        filter = new McpAuthFilter(s.auth(), s.agents(), guard, maxBodyBytes);
        input = new McpInputFilter(maxBodyBytes);
    }

    /** Mounts the endpoint and its authentication filter; call before the server starts. */
    public void mount(ServletContextHandler context) {
        ServletHolder holder = new ServletHolder("mcp", transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, PATH);
        FilterHolder auth = new FilterHolder(filter);
        auth.setAsyncSupported(true);
        context.addFilter(auth, PATH, EnumSet.of(DispatcherType.REQUEST));
        // After authentication: only callers with a token get their bodies read and checked.
        FilterHolder checks = new FilterHolder(input);
        checks.setAsyncSupported(true);
        context.addFilter(checks, PATH, EnumSet.of(DispatcherType.REQUEST));
    }

    /** The tool names, in the order {@code tools/list} shows them. */
    public List<String> toolNames() {
        return tools.stream().map(HubTool::name).toList();
    }

    @Override
    public void close() {
        server.closeGracefully();
    }

    /**
     * Sets the rate limiter: every call to {@code /mcp} takes a token of the caller's MCP bucket, and chat, memory and
     * error report tools one of the same bucket as their REST twins ({@link #kind}).
     */
    public McpEndpoint limiter(RateLimiter limiter) {
        filter.limiter(limiter);
        this.limiter = limiter;
        return this;
    }

    /** Counts refused calls (failed authentication, forbidden tool calls, quota refusals) as security events. */
    public McpEndpoint security(io.agenthub.audit.SecurityEvents events) {
        filter.security(events);
        this.security = events;
        return this;
    }

    /**
     * The rate limit a tool takes besides the MCP bucket: the same as its REST twin's, so that chat, memories or error
     * reports written through MCP count against the same allowance as over {@code /api}.
     */
    static RateLimiter.Kind kind(String tool) {
        return switch (tool) {
            case "chat_send", "dm_send" -> RateLimiter.Kind.CHAT;
            case "memory_remember", "memory_forget" -> RateLimiter.Kind.MEMORIES;
            case "error_report" -> RateLimiter.Kind.ERRORS;
            default -> null;
        };
    }

    /** Sets the hook that admits and observes every tool call. */
    public McpEndpoint hook(ToolHook hook) {
        this.hook = hook;
        return this;
    }

    /** What a tool declares for the degradation tiers. */
    public static Work work(String tool, boolean readOnly) {
        return WORK.getOrDefault(tool, readOnly ? Work.READ : Work.WRITE);
    }

    private McpStatelessServerFeatures.SyncToolSpecification specification(HubTool tool) {
        Work work = work(tool.name(), tool.readOnly());
        RateLimiter.Kind kind = kind(tool.name());
        return McpStatelessServerFeatures.SyncToolSpecification.builder()
                .tool(tool.definition())
                .callHandler((ctx, request) -> {
                    Principal caller = caller(ctx);
                    long started = System.nanoTime();
                    String code = null;
                    RuntimeException failure = null;
                    try {
                        if (kind != null) {
                            limiter.admit(caller, kind);
                        }
                        Args args = tool.params().check(tool.name(), request.arguments());
                        hook.admit(caller, work);
                        return tool.handler().call(caller, args);
                    } catch (HubException e) {
                        code = e.code();
                        security.refused(e, caller == null ? null : caller.id(), "mcp " + tool.name(), null, true);
                        return Results.failure(e);
                    } catch (McpError e) {
                        throw e;
                    } catch (RuntimeException e) {
                        code = "internal";
                        failure = e;
                        throw internal(tool.name(), e);
                    } finally {
                        hook.completed(tool.name(), caller, code, System.nanoTime() - started, failure);
                    }
                })
                .build();
    }

    /** The authenticated caller, put in the transport context by {@link McpAuthFilter}. */
    static Principal caller(McpTransportContext ctx) {
        if (ctx != null && ctx.get(PRINCIPAL) instanceof Principal p) {
            return p;
        }
        // The filter runs before the transport; reaching here means the endpoint was mounted without it.
        throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                .message("The request was not authenticated.")
                .build();
    }

    /**
     * Runs a resource or prompt read, which has no {@code isError} result: a {@link HubException} becomes a JSON-RPC
     * error with the same sentence, its code and details in {@code data}.
     */
    static <T> T guard(Supplier<T> read) {
        try {
            return read.get();
        } catch (HubException e) {
            int code = switch (e) {
                case HubException.InvalidRequest x -> McpSchema.ErrorCodes.INVALID_PARAMS;
                case HubException.TooLarge x -> McpSchema.ErrorCodes.INVALID_PARAMS;
                case HubException.NotFound x -> McpSchema.ErrorCodes.RESOURCE_NOT_FOUND;
                case HubException.Unauthenticated x -> McpSchema.ErrorCodes.INVALID_REQUEST;
                case HubException.Forbidden x -> McpSchema.ErrorCodes.INVALID_REQUEST;
                case HubException.Conflict x -> McpSchema.ErrorCodes.INVALID_REQUEST;
                case HubException.RateLimited x -> McpSchema.ErrorCodes.INTERNAL_ERROR;
                case HubException.Unavailable x -> McpSchema.ErrorCodes.INTERNAL_ERROR;
            };
            return throwError(code, e);
        } catch (McpError e) {
            throw e;
        } catch (RuntimeException e) {
            throw internal("read", e);
        }
    }

    private static <T> T throwError(int code, HubException e) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("code", e.code());
        e.details().forEach(data::putIfAbsent);
        throw McpError.builder(code).message(e.getMessage()).data(data).build();
    }

    private static McpError internal(String what, RuntimeException e) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("MCP {} failed (error id {})", what, errorId, e);
        return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                .message("The hub failed unexpectedly. Report error id " + errorId + " to an operator.")
                .build();
    }
}
