package io.agenthub.client;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * Reading the hub's state: {@code /api/health}, {@code /api/status}, {@code /api/tier}, {@code /api/alerts},
 * {@code /api/trace}, {@code /api/stalls}, {@code /api/tools-test}, {@code /metrics}, and the assembled context
 * {@code /api/hot-start} and {@code /api/digest}. Aggregate views come as JSON trees: their shapes are documented in
 * the README and grow with the hub.
 */
public final class Ops {
    private final Transport t;

    /** {@code status} is {@code ok} or {@code degraded} (then {@code reason} says why). */
    public record Health(
            String status, String store, String reason, String version, long uptimeSeconds, Instant time) {}

    record TierBody(Integer tier, String reason, String agent) {}

    record ScaleDownBody(Integer count) {}

    Ops(Transport t) {
        this.t = t;
    }

    /** Public: no token needed. */
    public Health health() {
        return t.get("/api/health", Health.class);
    }

    public JsonNode status() {
        return t.get("/api/status", JsonNode.class);
    }

    public JsonNode tier() {
        return t.get("/api/tier", JsonNode.class);
    }

    /** Admin: sets the degradation tier (1-4); {@code agent} names the one agent allowed in tier 4. */
    public JsonNode setTier(int tier, String reason, String agent) {
        return t.post("/api/tier", new TierBody(tier, reason, agent), JsonNode.class);
    }

    public JsonNode alerts() {
        return alerts(null);
    }

    /** The alerts, with the last {@code history} state changes (null: none). */
    public JsonNode alerts(Integer history) {
        return t.get(Transport.query("/api/alerts", "history", history), JsonNode.class);
    }

    /** An agent's trail (null: the caller's), since an ISO time or age such as {@code 30m}; {@code before} pages back. */
    public JsonNode trace(String agentId, String since, String before, Integer limit) {
        return t.get(
                Transport.query("/api/trace", "agentId", agentId, "since", since, "before", before, "limit", limit),
                JsonNode.class);
    }

    public JsonNode stalls() {
        return t.get("/api/stalls", JsonNode.class);
    }

    /** Runs the self-test: every check, or the one named {@code tool}. */
    public JsonNode selfTest(String tool) {
        return t.get(Transport.query("/api/tools-test", "tool", tool), JsonNode.class);
    }

    /** The self-test's checks, without running them. */
    public JsonNode selfTestChecks() {
        return t.get("/api/tools-test?action=list", JsonNode.class);
    }

    /** The latest self-test run. */
    public JsonNode selfTestResults() {
        return t.get("/api/tools-test?action=results", JsonNode.class);
    }

    /** Prometheus text exposition; public. */
    public String metrics() {
        return t.call("GET", "/metrics", null, t.requestTimeout()).text();
    }

    /** The hot-start bundle (soul injection) of the caller or, for admins, {@code agentId}; null: defaults. */
    public JsonNode hotStart(String agentId, Integer maxChars) {
        return t.get(Transport.query("/api/hot-start", "agentId", agentId, "maxChars", maxChars), JsonNode.class);
    }

    /** The hot-start prompt as markdown, ready for a model's context. */
    public String hotStartMarkdown(String agentId, Integer maxChars) {
        return t.call(
                        "GET",
                        Transport.query(
                                "/api/hot-start", "agentId", agentId, "maxChars", maxChars, "format", "markdown"),
                        null,
                        t.requestTimeout())
                .text();
    }

    /** What happened since an ISO time or age such as {@code 2h} (null: since the agent's last look). */
    public JsonNode digest(String agentId, String since) {
        return t.get(Transport.query("/api/digest", "agentId", agentId, "since", since), JsonNode.class);
    }

    public String digestMarkdown(String agentId, String since) {
        return t.call(
                        "GET",
                        Transport.query("/api/digest", "agentId", agentId, "since", since, "format", "markdown"),
                        null,
                        t.requestTimeout())
                .text();
    }

    /** Agent pools: agents by version and presence, queue depth and age, claims, success rate per version. */
    public JsonNode pools() {
        return t.get("/api/pools", JsonNode.class);
    }

    /** The scaling recommendation per pool (add, remove or hold) with its reason and every rule's signal. */
    public JsonNode scaling() {
        return t.get("/api/scaling", JsonNode.class);
    }

    /** Admin: tells {@code count} idle agents of {@code pool} to checkpoint and exit. */
    public JsonNode scaleDown(String pool, int count) {
        return t.post(
                "/api/scaling/" + Transport.segment(pool) + "/scale-down", new ScaleDownBody(count), JsonNode.class);
    }
}
