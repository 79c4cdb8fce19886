package io.agenthub.server;

import io.agenthub.audit.SecurityEvents;
import io.agenthub.auth.Principal;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.ops.Counters;
import io.agenthub.server.http.RequestHook;
import io.agenthub.server.mcp.McpEndpoint;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.tier.TierService;
import io.agenthub.tier.Work;
import io.agenthub.trace.TraceService;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The hub's {@link RequestHook}: admits requests in the tier in force, stamps every response with {@code Hub-Tier},
 * and observes every answered request: the latency histogram per route, the operation counters behind the error rate
 * and the average response time, the caller's trail, and the hub's own unexpected failures in the errors tool. MCP tool
 * calls get the same treatment, per tool.
 */
public final class OpsHook implements RequestHook, McpEndpoint.ToolHook {
    /** Routes that are not operations: probes, scrapes and streams. */
    static final Set<String> NOT_OPERATIONS = Set.of("GET /api/health", "GET /metrics", "GET /api/events");

    private final Sources s;
    private volatile Consumer<String> changed = route -> {};

    /** What the hook admits with and records to. */
    public record Sources(
            TierService tiers, TraceService traces, HubMetrics metrics, Counters counters, ErrorLogService errors) {}

    public OpsHook(Sources sources) {
        this.s = sources;
    }

    /**
     * Told of every successful write request ({@code METHOD /template}) and successful MCP tool call ({@code mcp
     * <tool>}): what may have changed (the dashboard's reader listens).
     */
    public OpsHook onChange(Consumer<String> changed) {
        this.changed = changed;
        return this;
    }

    private void changed(String what) {
        try {
            changed.accept(what);
        } catch (RuntimeException e) {
            // Observing a change must not fail the request that made it.
        }
    }

    @Override
    public void admit(Principal principal, Work work) {
        s.traces().beginCall();
        SecurityEvents.during(principal == null ? null : principal.id());
        s.tiers().admit(principal, work);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Hub-Tier", Integer.toString(s.tiers().current().tier().number()));
    }

    @Override
    public void completed(Completion c) {
        SecurityEvents.during(null);
        boolean limited = "rate_limited".equals(c.code());
        String outcome = c.status() < 400
                ? "ok"
                : "tier_restricted".equals(c.code()) || limited
                        ? "refused"
                        : c.status() >= 500 ? "server_error" : "client_error";
        s.metrics().request(c.route(), c.status(), outcome, c.waited(), c.nanos());
        long millis = c.nanos() / 1_000_000;
        // A call refused by the rate limiter did no work: counting it would let a flood dilute the error rate.
        if (!NOT_OPERATIONS.contains(c.route()) && !limited) {
            s.counters().increment(Counters.REQUESTS);
            s.metrics().operation();
            if (outcome.equals("server_error")) {
                s.counters().increment(Counters.SERVER_ERRORS);
                s.metrics().failure("server");
            }
            if (!c.waited()) {
                s.counters().increment(Counters.TIMED_REQUESTS);
                s.counters().add(Counters.LATENCY_MILLIS, millis);
            }
            s.traces()
                    .endCall(
                            c.principal() == null ? null : c.principal().id(),
                            c.route(),
                            c.status(),
                            c.status() + (c.code() == null ? "" : " " + c.code()),
                            millis);
        } else {
            s.traces().endCall();
        }
        if (c.failure() != null) {
            s.errors().reportInternal(c.route(), c.failure());
        }
        if (c.work() != Work.READ && c.status() < 400) {
            changed(c.route());
        }
    }

    @Override
    public void completed(String tool, Principal caller, String code, long nanos, Throwable failure) {
        SecurityEvents.during(null);
        boolean serverError = failure != null || ("unavailable".equals(code));
        s.metrics().toolCall(tool, code == null, nanos);
        s.counters().increment(Counters.REQUESTS);
        s.metrics().operation();
        if (serverError) {
            s.counters().increment(Counters.SERVER_ERRORS);
            s.metrics().failure("server");
        }
        long millis = nanos / 1_000_000;
        s.counters().increment(Counters.TIMED_REQUESTS);
        s.counters().add(Counters.LATENCY_MILLIS, millis);
        s.traces()
                .endCall(
                        caller == null ? null : caller.id(),
                        "mcp " + tool,
                        code == null ? 200 : 400,
                        code == null ? "ok" : code,
                        millis);
        if (failure != null) {
            s.errors().reportInternal("mcp " + tool, failure);
        }
        if (code == null && failure == null) {
            changed("mcp " + tool);
        }
    }
}
