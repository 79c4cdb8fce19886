package io.agenthub.server.mcp;

import io.agenthub.agent.AgentService;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.ratelimit.RateLimiter;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.server.wire.Problems;
import io.agenthub.server.wire.UnreadBody;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Guards {@code /mcp}: first the {@link OriginGuard} (403 for a foreign Origin, 421 for an unknown Host), then the same
 * bearer tokens as {@code /api} (401 problem for a missing or bad token), then the caller's MCP rate limit (429). The principal goes to the MCP handlers as a
 * request attribute, read by the transport's context extractor; every authenticated call counts as a sign of life.
 */
final class McpAuthFilter implements Filter {
    private final AuthService auth;
    private final AgentService agents;
    private final OriginGuard guard;
    private final long maxBodyBytes;
    private volatile RateLimiter limiter = RateLimiter.NONE;
    private volatile io.agenthub.audit.SecurityEvents security = io.agenthub.audit.SecurityEvents.NONE;

    McpAuthFilter(AuthService auth, AgentService agents, OriginGuard guard, long maxBodyBytes) {
        this.auth = auth;
        this.agents = agents;
        this.guard = guard;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Every call takes a token of the caller's MCP bucket; failed authentication one of the client address. */
    void limiter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** Counts failed authentication as a security event of the client address. */
    void security(io.agenthub.audit.SecurityEvents events) {
        this.security = events;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String path = req.getRequestURI();
        OriginGuard.Refusal refusal = guard.check(req.getHeader("Origin"), req.getHeader("Host"));
        if (refusal != null) {
            UnreadBody.settle(req, resp, maxBodyBytes);
            write(resp, Problems.of(refusal.status(), refusal.code(), refusal.detail(), path));
            return;
        }
        try {
            Principal principal;
            try {
                principal = auth.authenticate(bearer(req));
            } catch (HubException.Unauthenticated e) {
                security.refused(e, null, "POST /mcp", req.getRemoteAddr(), bearer(req) != null);
                limiter.admitAnonymous(req.getRemoteAddr());
                throw e;
            }
            limiter.admit(principal, RateLimiter.Kind.MCP);
            agents.seen(principal);
            req.setAttribute(McpEndpoint.PRINCIPAL, principal);
        } catch (HubException e) {
            UnreadBody.settle(req, resp, maxBodyBytes);
            write(resp, Problems.of(e, path));
            return;
        }
        chain.doFilter(request, response);
    }

    private static String bearer(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip()
                : null;
    }

    private static void write(HttpServletResponse resp, Problems.Problem p) throws IOException {
        byte[] body = JsonCodec.MAPPER.writeValueAsBytes(p.body());
        p.headers().forEach(resp::setHeader);
        resp.setStatus(p.status());
        resp.setContentType("application/problem+json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(body);
        }
    }
}
