package io.agenthub.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP API the simulated agents speak ({@code --api}). {@link #HUB} is this hub's: bearer tokens, leases with
 * fencing tokens, channels with cursors. {@link #ORIGINAL} is the local server of the original TypeScript hub
 * ({@code src/http-server.ts} of Piston-Labs/agent-coord-mcp at {@code f575f94}, run outside this repository by
 * {@code scripts/bench-original.sh}): no authentication (the agent id travels in the body), in-memory locks, one
 * global chat. It exists so that one generator, with the same transport and the same closed loops, can drive both
 * servers in one run; the workloads pick their requests here and stay otherwise the same.
 *
 * <p>The original's equivalents: a lease acquire is {@code POST /api/locks {resourcePath, agentId, reason}} (200, or
 * 409 when someone else holds the path); a release is {@code DELETE /api/locks/<path> {agentId}} (200 with
 * {@code released}); a heartbeat is {@code POST /api/agents/<id>/status {status, currentTask}}; a chat post is
 * {@code POST /api/chat {author, message}} (200); a chat read is {@code GET /api/chat?limit=50}, then
 * {@code ?since=<timestamp of the newest message seen>}.
 */
enum Api {
    HUB,
    ORIGINAL;

    /** Workloads that the original's local server has the routes for. */
    static final Set<String> ORIGINAL_WORKLOADS = Set.of("lease", "lease-new", "heartbeat", "chat-post", "mixed");

    /** Whether simulated agents need to be created on the server and carry a token. */
    boolean authenticates() {
        return this == HUB;
    }

    HubHttp.Request acquire(HubHttp http, SimAgent a, String resource, long ttlSeconds, Duration timeout) {
        return switch (this) {
            case HUB ->
                http.post("/api/leases", a.token(), Map.of("resource", resource, "ttlSeconds", ttlSeconds), timeout);
            case ORIGINAL ->
                http.post(
                        "/api/locks",
                        null,
                        Map.of("resourcePath", resource, "agentId", a.id(), "reason", "load bench"),
                        timeout);
        };
    }

    /** The status of a granted acquire. */
    int acquired() {
        return this == HUB ? 201 : 200;
    }

    /**
     * Whether a reply is the refusal of an acquire because someone else holds the resource: this hub's 409
     * {@code lease_held} problem, or the original's 409 {@code {success: false}}.
     */
    boolean refused(Response r) {
        return r.is(409)
                && switch (this) {
                    case HUB -> r.problemCode().equals("lease_held");
                    case ORIGINAL -> !r.json().path("success").asBoolean(true);
                };
    }

    HubHttp.Request release(HubHttp http, SimAgent a, String resource, Response grant, Duration timeout) {
        return switch (this) {
            case HUB ->
                http.post(
                        "/api/leases/release",
                        a.token(),
                        Map.of(
                                "resource",
                                resource,
                                "token",
                                grant.json().path("token").asLong()),
                        timeout);
            case ORIGINAL ->
                new HubHttp.Request(
                        "DELETE",
                        "/api/locks/" + segment(resource),
                        null,
                        HubHttp.JSON.writeValueAsBytes(Map.of("agentId", a.id())),
                        timeout);
        };
    }

    /**
     * A release reply as the workloads judge it: the original answers 200 {@code released: false} when the agent did
     * not hold the lock, which is a failure, not a success.
     */
    Response released(Response r) {
        if (this == ORIGINAL && r.is(200) && !r.json().path("released").asBoolean(false)) {
            return Response.failed("released: false");
        }
        return r;
    }

    HubHttp.Request heartbeat(HubHttp http, SimAgent a, String task, Duration timeout) {
        return switch (this) {
            case HUB -> http.post("/api/heartbeat", a.token(), Map.of("status", "busy", "currentTask", task), timeout);
            case ORIGINAL ->
                http.post(
                        "/api/agents/" + segment(a.id()) + "/status",
                        null,
                        Map.of("status", "active", "currentTask", task),
                        timeout);
        };
    }

    HubHttp.Request chatPost(HubHttp http, SimAgent a, String channel, String text, Duration timeout) {
        return switch (this) {
            case HUB -> http.post("/api/chat", a.token(), Map.of("channel", channel, "text", text), timeout);
            case ORIGINAL -> http.post("/api/chat", null, Map.of("author", a.id(), "message", text), timeout);
        };
    }

    /** The status of an accepted chat post. */
    int posted() {
        return this == HUB ? 201 : 200;
    }

    /** A path segment as the original decodes it ({@code decodeURIComponent}: {@code %20}, never {@code +}). */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
