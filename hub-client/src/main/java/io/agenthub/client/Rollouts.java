package io.agenthub.client;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/rollouts} and {@code /api/flags}: canary and blue-green rollouts of agent versions per pool (admin), and
 * feature flags (agents read their evaluated flags; admins define them). Replies are the hub's JSON as they are.
 */
public final class Rollouts {
    private final Transport t;

    /** One targeting rule of a flag: who it applies to, and the value they get. Null lists mean any. */
    public record Rule(List<String> agents, List<String> pools, List<String> versions, Integer percent, Object value) {}

    /** A flag definition: {@code type} is boolean, string or number. */
    public record Flag(String type, Object defaultValue, List<Rule> rules, Boolean enabled, String description) {}

    record Canary(
            String version, String baseline, String steps, String hold, String maxErrorRate, String maxLatencyRatio) {}

    record BlueGreen(String green, String blue) {}

    record Switch(Boolean force) {}

    record Reason(String reason) {}

    Rollouts(Transport t) {
        this.t = t;
    }

    /** Every rollout with its stage, both sides' health and its decision log. */
    public JsonNode list() {
        return t.get("/api/rollouts", JsonNode.class);
    }

    public JsonNode get(String pool) {
        return t.get(path(pool), JsonNode.class);
    }

    /**
     * Starts a canary of {@code version} in {@code pool}; null arguments take the hub's defaults (steps 10,50,100,
     * hold 24h, max error rate 5%, max latency ratio 1.5).
     */
    public JsonNode canary(
            String pool,
            String version,
            String baseline,
            String steps,
            String hold,
            String maxErrorRate,
            String maxLatencyRatio) {
        return t.post(
                path(pool) + "/canary",
                new Canary(version, baseline, steps, hold, maxErrorRate, maxLatencyRatio),
                JsonNode.class);
    }

    /** Starts blue-green: tasks labelled {@code test} go to {@code green}; production stays on blue. */
    public JsonNode blueGreen(String pool, String green, String blue) {
        return t.post(path(pool) + "/bluegreen", new BlueGreen(green, blue), JsonNode.class);
    }

    public JsonNode verify(String pool) {
        return t.post(path(pool) + "/verify", Map.of(), JsonNode.class);
    }

    /** Switches production to green in one step; {@code force} skips a failed or missing verification. */
    public JsonNode switchToGreen(String pool, boolean force) {
        return t.post(path(pool) + "/switch", new Switch(force), JsonNode.class);
    }

    public JsonNode pause(String pool) {
        return t.post(path(pool) + "/pause", Map.of(), JsonNode.class);
    }

    public JsonNode resume(String pool) {
        return t.post(path(pool) + "/resume", Map.of(), JsonNode.class);
    }

    public JsonNode promote(String pool) {
        return t.post(path(pool) + "/promote", Map.of(), JsonNode.class);
    }

    public JsonNode rollback(String pool, String reason) {
        return t.post(path(pool) + "/rollback", new Reason(reason), JsonNode.class);
    }

    /** Removes a finished rollout: new tasks of the pool name no version again. */
    public JsonNode end(String pool) {
        return t.call("DELETE", path(pool), null, t.requestTimeout()).as(JsonNode.class);
    }

    /** The caller's evaluated flags ({@code GET /api/flags}). */
    public JsonNode flags() {
        return t.get("/api/flags", JsonNode.class);
    }

    /** Every flag definition (admin). */
    public JsonNode flagDefinitions() {
        return t.get("/api/flags/definitions", JsonNode.class);
    }

    /** Creates or replaces a flag (admin). */
    public JsonNode setFlag(String key, Flag flag) {
        return t.post("/api/flags/" + Transport.segment(key), flag, JsonNode.class);
    }

    public JsonNode deleteFlag(String key) {
        return t.call("DELETE", "/api/flags/" + Transport.segment(key), null, t.requestTimeout())
                .as(JsonNode.class);
    }

    private static String path(String pool) {
        return "/api/rollouts/" + Transport.segment(pool);
    }
}
