package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.ratelimit.RateLimiter;
import io.agenthub.server.wire.JsonCodec;
import io.agenthub.server.wire.Problems;
import io.agenthub.server.wire.UnreadBody;
import io.agenthub.tier.Work;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches {@code METHOD /path/{param}} to handlers, authenticates, enforces {@link Access}, admits the route's
 * {@link Work} through the {@link RequestHook} (the degradation tier), renders JSON replies and maps every
 * {@link HubException} through {@link Problems}. Unexpected failures become a 500 with an error id and no stack trace.
 * Every request, answered or refused, is reported to the hook once.
 */
public final class Router extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final long serialVersionUID = 1L;

    private final transient List<Route> routes = new ArrayList<>();
    private final transient Map<String, List<Route>> literal = new HashMap<>();
    private final transient Function<String, Principal> authenticator;
    private final long maxBodyBytes;
    private transient volatile RequestHook hook = RequestHook.NONE;
    private transient volatile RateLimiter limiter = RateLimiter.NONE;
    private transient volatile io.agenthub.audit.SecurityEvents security = io.agenthub.audit.SecurityEvents.NONE;
    private transient volatile DashboardSessions sessions;

    private record Route(
            String method,
            String template,
            Pattern pattern,
            List<String> params,
            Access access,
            Work work,
            RateLimiter.Kind kind,
            Handler handler) {}

    /**
     * @param authenticator turns the bearer secret (or null) into a principal, or throws
     *     {@link HubException.Unauthenticated}
     */
    public Router(Function<String, Principal> authenticator, long maxBodyBytes) {
        this.authenticator = authenticator;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Sets the hook that admits and observes every request. */
    public Router hook(RequestHook hook) {
        this.hook = hook;
        return this;
    }

    /**
     * Sets the rate limiter: every call by an agent or viewer takes a token of its route's kind, and calls without a
     * valid token (public writes, failed authentication) take one of their client address.
     */
    public Router limiter(RateLimiter limiter) {
        this.limiter = limiter;
        return this;
    }

    /**
     * Counts refused calls as security events: without a token or with a bad one (by client address), forbidden (by
     * caller and route), at a storage quota. In memory only; see {@link io.agenthub.audit.SecurityEvents}.
     */
    public Router security(io.agenthub.audit.SecurityEvents events) {
        this.security = events;
        return this;
    }

    /**
     * Accepts the dashboard's session cookie where a request has no bearer token: for reads as it is, for anything else
     * only with the session's CSRF token ({@link DashboardSessions}).
     */
    public Router sessions(DashboardSessions sessions) {
        this.sessions = sessions;
        return this;
    }

    /** A read: allowed in every tier. */
    public Router get(String template, Access access, Handler handler) {
        return add("GET", template, access, Work.READ, handler);
    }

    /** A write ({@link Work#WRITE}). */
    public Router post(String template, Access access, Handler handler) {
        return add("POST", template, access, Work.WRITE, handler);
    }

    /** A write that declares what it does for the degradation tiers (upkeep, new work). */
    public Router post(String template, Access access, Work work, Handler handler) {
        return add("POST", template, access, work, handler);
    }

    public Router patch(String template, Access access, Handler handler) {
        return add("PATCH", template, access, Work.WRITE, handler);
    }

    public Router delete(String template, Access access, Handler handler) {
        return add("DELETE", template, access, Work.WRITE, handler);
    }

    private Router add(String method, String template, Access access, Work work, Handler handler) {
        List<String> params = new ArrayList<>();
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            params.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        Route route = new Route(
                method,
                template,
                Pattern.compile(regex.toString()),
                params,
                access,
                work,
                kind(method, template),
                handler);
        routes.add(route);
        if (params.isEmpty()) {
            literal.computeIfAbsent(template, k -> new ArrayList<>()).add(route);
        }
        return this;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long started = System.nanoTime();
        String path = req.getRequestURI();
        String method = req.getMethod();
        boolean head = method.equals("HEAD");
        String lookup = head ? "GET" : method;
        Route route = null;
        Principal principal = null;
        String code = null;
        Throwable failure = null;
        boolean streamed = false;
        Call call = null;
        try {
            hook.headers().forEach(resp::setHeader);
            Map<String, String> params = new HashMap<>();
            route = match(lookup, path, params);
            if (route == null) {
                UnreadBody.settle(req, resp, maxBodyBytes);
                code = unmatched(path, method, resp, head);
                return;
            }
            principal = route.access() == Access.PUBLIC ? admitAnonymous(req, route) : authenticate(req);
            require(principal, route.access());
            limiter.admit(principal, route.kind());
            hook.admit(principal, route.work());
            call = new Call(req, resp, principal, params, maxBodyBytes);
            Reply reply = route.handler().handle(call);
            if (reply == Reply.STREAMED) {
                streamed = true;
            } else {
                if (!call.bodyConsumed()) {
                    UnreadBody.settle(req, resp, maxBodyBytes);
                }
                write(resp, reply, head);
            }
        } catch (HubException refusal) {
            HubException e = refusal;
            if (e instanceof HubException.Unauthenticated
                    && route != null
                    && route.access() == Access.PUBLIC
                    && route.method().equals("GET")) {
                // A public read that checks a token itself (/metrics) charges a wrong one to the client address, as
                // authentication does elsewhere (public writes pay before they run).
                try {
                    limiter.admitAnonymous(req.getRemoteAddr());
                } catch (HubException.RateLimited limited) {
                    e = limited;
                }
            }
            code = e.code();
            if (route != null) {
                security.refused(
                        e,
                        principal == null ? null : principal.id(),
                        route.method() + " " + route.template(),
                        req.getRemoteAddr(),
                        req.getHeader("Authorization") != null || DashboardSessions.secret(req) != null);
            }
            if (!resp.isCommitted()) {
                if (call == null || !call.bodyConsumed()) {
                    UnreadBody.settle(req, resp, maxBodyBytes);
                }
                write(resp, Problems.of(e, path), head);
            }
        } catch (Exception e) {
            if (clientGone(e)) {
                // The client closed the connection before its reply was written (a long-poll it gave up on): not a
                // failure of the hub, and at fleet scale one stack trace per departed client would flood the log.
                LOG.debug("{} {}: the client went away before the reply was written", method, path);
                code = "client_gone";
                return;
            }
            String errorId = UUID.randomUUID().toString();
            LOG.error("{} {} failed (error id {})", method, path, errorId, e);
            code = "internal";
            failure = e;
            if (!resp.isCommitted()) {
                Problems.Problem p = Problems.of(
                        500,
                        "internal",
                        "The hub failed unexpectedly. Report error id " + errorId + " to an operator.",
                        path);
                p.body().put("errorId", errorId);
                UnreadBody.settle(req, resp, maxBodyBytes);
                write(resp, p, head);
            }
        } finally {
            try {
                hook.completed(new RequestHook.Completion(
                        route == null ? "unmatched" : route.method() + " " + route.template(),
                        route == null ? Work.READ : route.work(),
                        principal,
                        resp.getStatus(),
                        code,
                        System.nanoTime() - started,
                        streamed || waits(req),
                        failure));
            } catch (RuntimeException e) {
                // One line a request (a store outage fails the hook of every call); the stack at debug level.
                LOG.warn("request hook failed: {}", e.toString());
                LOG.debug("request hook failure", e);
            }
        }
    }

    /** True if writing the reply failed because the peer had closed the connection (Jetty's EofException). */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /** True for a long-poll (a {@code wait} query parameter): its latency is the wait, not the hub's work. */
    private static boolean waits(HttpServletRequest req) {
        String q = req.getQueryString();
        if (q == null || !q.contains("wait")) {
            return false;
        }
        try {
            return Call.query(req).containsKey("wait");
        } catch (HubException e) {
            return false;
        }
    }

    /** Answers a request that matches no route (404, or 405 with Allow); returns the problem code. */
    private String unmatched(String path, String method, HttpServletResponse resp, boolean head) throws IOException {
        TreeSet<String> allowed = allowedMethods(path);
        if (allowed.isEmpty()) {
            write(resp, Problems.of(404, "no_route", "No route " + path + ". See the README for the API.", path), head);
            return "no_route";
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        resp.setHeader("Allow", String.join(", ", allowed));
        write(
                resp,
                Problems.of(
                        405,
                        "method_not_allowed",
                        method + " is not supported on " + path + "; use " + String.join(" or ", allowed) + ".",
                        path),
                head);
        return "method_not_allowed";
    }

    /** The rate limit of a route, by what it does: chat, memories and error reports have their own. */
    private static RateLimiter.Kind kind(String method, String template) {
        if (method.equals("GET")) {
            return RateLimiter.Kind.READS;
        }
        return switch (template) {
            case "/api/chat", "/api/dm" -> RateLimiter.Kind.CHAT;
            case "/api/memories", "/api/memories/{id}" -> RateLimiter.Kind.MEMORIES;
            case "/api/errors", "/api/errors/{id}" -> RateLimiter.Kind.ERRORS;
            default -> RateLimiter.Kind.WRITES;
        };
    }

    /** A public route: writes (enrolment) count against the client address; reads (health, metrics) do not. */
    private Principal admitAnonymous(HttpServletRequest req, Route route) {
        if (!route.method().equals("GET")) {
            limiter.admitAnonymous(req.getRemoteAddr());
        }
        return null;
    }

    private Principal authenticate(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        String bearer = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bearer = header.substring(7).strip();
        }
        DashboardSessions dashboard = sessions;
        String cookie = bearer == null && dashboard != null ? DashboardSessions.secret(req) : null;
        Principal p;
        if (cookie != null) {
            p = dashboard.principal(cookie);
            String m = req.getMethod();
            if (!m.equals("GET") && !m.equals("HEAD")) {
                DashboardSessions.checkCsrf(req, cookie);
            }
        } else {
            try {
                p = authenticator.apply(bearer);
            } catch (HubException.Unauthenticated e) {
                // Guessing tokens costs the client address; past its limit the answer is 429 instead of 401.
                limiter.admitAnonymous(req.getRemoteAddr());
                throw e;
            }
        }
        return p;
    }

    /** Checks the route's access after authentication, so that a refusal is counted against the caller. */
    private static void require(Principal p, Access access) {
        switch (access) {
            case WRITE -> p.requireWriter();
            case ADMIN -> p.requireAdmin();
            default -> {}
        }
    }

    private Route match(String method, String path, Map<String, String> params) {
        List<Route> exact = literal.get(path);
        if (exact != null) {
            for (Route r : exact) {
                if (r.method().equals(method)) {
                    return r;
                }
            }
        }
        for (Route r : routes) {
            if (!r.method().equals(method) || r.params().isEmpty()) {
                continue;
            }
            Matcher m = r.pattern().matcher(path);
            if (m.matches()) {
                for (int i = 0; i < r.params().size(); i++) {
                    params.put(r.params().get(i), java.net.URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                }
                return r;
            }
        }
        return null;
    }

    private TreeSet<String> allowedMethods(String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            if (r.pattern().matcher(path).matches()) {
                allowed.add(r.method());
            }
        }
        return allowed;
    }

    private static void write(HttpServletResponse resp, Problems.Problem p, boolean head) throws IOException {
        p.headers().forEach(resp::setHeader);
        send(resp, p.status(), "application/problem+json", JsonCodec.MAPPER.writeValueAsBytes(p.body()), head);
    }

    private static void write(HttpServletResponse resp, Reply reply, boolean head) throws IOException {
        reply.headers().forEach(resp::setHeader);
        byte[] bytes = reply.body() instanceof String s
                ? s.getBytes(StandardCharsets.UTF_8)
                : JsonCodec.MAPPER.writeValueAsBytes(reply.body());
        String type =
                reply.contentType().contains("charset") || !reply.contentType().startsWith("text/")
                        ? reply.contentType()
                        : reply.contentType() + "; charset=utf-8";
        send(resp, reply.status(), type, bytes, head);
    }

    private static void send(HttpServletResponse resp, int status, String type, byte[] bytes, boolean head)
            throws IOException {
        resp.setStatus(status);
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        if (!head) {
            try (OutputStream out = resp.getOutputStream()) {
                out.write(bytes);
            }
        }
    }

    /** What each route declares for the degradation tiers, as {@code METHOD template}. */
    public Map<String, Work> works() {
        Map<String, Work> out = new LinkedHashMap<>();
        routes.forEach(r -> out.put(r.method() + " " + r.template(), r.work()));
        return out;
    }

    /** The registered routes as {@code METHOD template}, for documentation and tests. */
    public Map<String, Access> describe() {
        Map<String, Access> out = new LinkedHashMap<>();
        routes.forEach(r -> out.put(r.method() + " " + r.template(), r.access()));
        return out;
    }
}
