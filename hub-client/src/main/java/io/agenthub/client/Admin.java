package io.agenthub.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Admin-only calls (the client's token must be the admin token): join keys, the audit log, snapshot export, key
 * rotation, disabling and enabling agents. Other admin calls sit with their domain: {@link Agents#create},
 * {@link Agents#issueToken}, {@link Leases#forceRelease}, {@link Memories#consolidate}, {@link Ops#setTier},
 * {@link Usage#acknowledge}.
 */
public final class Admin {
    private final Transport t;

    /** A new join key; {@code joinKey} is the secret, shown once. */
    public record JoinKey(String id, String label, String joinKey) {}

    record Label(String label) {}

    record Rotate(Long overlapSeconds, Boolean agents) {}

    record Reason(String reason) {}

    Admin(Transport t) {
        this.t = t;
    }

    public JoinKey createJoinKey(String label) {
        return t.post("/api/join-keys", new Label(label), JoinKey.class);
    }

    /** {@code {joinKeys: [{id, label, createdAt, revokedAt}]}}; secrets are never listed. */
    public JsonNode joinKeys() {
        return t.get("/api/join-keys", JsonNode.class);
    }

    public void revokeJoinKey(String id) {
        t.call("DELETE", "/api/join-keys/" + Transport.segment(id), null, t.requestTimeout());
    }

    /** A page of the audit log, {@code {events, prevCursor}}; {@code before} pages back, {@code after} forward. */
    public JsonNode audit(Long after, Long before, Integer limit) {
        return t.get(Transport.query("/api/audit", "after", after, "before", before, "limit", limit), JsonNode.class);
    }

    /** The whole store as a JSON-lines snapshot ({@code hub import} reads it). */
    public String export() {
        return t.call("GET", "/api/export", null, t.requestTimeout()).text();
    }

    /**
     * Streams the snapshot to {@code out} without holding it in memory (for large stores); only the wait for the first
     * byte is bounded by the request timeout.
     */
    public void exportTo(java.io.OutputStream out) {
        var r = t.stream("/api/export", Map.of("Accept", "application/x-ndjson, application/problem+json"));
        try (java.io.InputStream in = r.body()) {
            in.transferTo(out);
        } catch (java.io.IOException e) {
            throw new HubProblem.Unreachable(
                    "The snapshot download broke off (" + e + "); export again.", "/api/export", e);
        }
    }

    /** Issues a new admin token and join keys; the old ones stay valid for {@code overlapSeconds} (null: an hour). */
    public JsonNode rotateKeys(Long overlapSeconds) {
        return rotateKeys(overlapSeconds, false);
    }

    /** As {@link #rotateKeys(Long)}; {@code agents} also gives every agent and viewer a new token ({@code agentTokens}). */
    public JsonNode rotateKeys(Long overlapSeconds, boolean agents) {
        return t.post("/api/keys/rotate", new Rotate(overlapSeconds, agents), JsonNode.class);
    }

    /** A one-time login link to the dashboard, {@code {url, expiresAt}}. */
    public JsonNode dashboardLink() {
        return t.post("/api/dashboard/links", Map.of(), JsonNode.class);
    }

    /** Disables an agent: its tokens stop working and its leases are released. */
    public JsonNode disableAgent(String agentId, String reason) {
        return t.post("/api/agents/" + Transport.segment(agentId) + "/disable", new Reason(reason), JsonNode.class);
    }

    public JsonNode enableAgent(String agentId, String reason) {
        return t.post(
                "/api/agents/" + Transport.segment(agentId) + "/enable",
                reason == null ? Map.of() : new Reason(reason),
                JsonNode.class);
    }

    /** One subject's security events in the report's period: an agent id or a client address. */
    public record Offender(String subject, long events, Map<String, Long> kinds, List<String> details) {}

    /** A token as the safety report lists it; {@code lastSeen} is its agent's last call. */
    public record TokenRow(
            String id, String subject, String role, Instant createdAt, Instant expiresAt, Instant lastSeen) {}

    /** Tokens issued and ended in the period, active now, ending within 7 days, and of agents idle too long. */
    public record Tokens(
            long issued, long ended, long active, List<TokenRow> expiring, List<TokenRow> unused, String idleAfter) {}

    /** An agent with privileged labels. */
    public record Privileged(String agent, Map<String, String> labels) {}

    /** The admin's actions in the period; {@code recent} are audit events, newest first. */
    public record AdminActions(long total, Map<String, Long> byAction, List<JsonNode> recent, boolean complete) {}

    /**
     * The safety report: security events by kind ({@code unauthenticated}, {@code bad_token}, {@code forbidden},
     * {@code rate_limited}, {@code quota_refused}, {@code privileged_label}, {@code sanitised}, {@code redacted},
     * {@code injection_flag}), the top offenders, tokens, privileged labels, admin actions and what to look at first.
     */
    public record SafetyReport(
            Instant since,
            Instant until,
            Map<String, Long> events,
            List<Offender> topOffenders,
            Tokens tokens,
            List<Privileged> privilegedLabels,
            AdminActions adminActions,
            List<String> lookFirst) {}

    /** The safety report of the period that ends now; {@code since} such as {@code 24h} or {@code 7d} (null: 24h). */
    public SafetyReport safetyReport(String since) {
        return t.get(Transport.query("/api/audit/safety-report", "since", since), SafetyReport.class);
    }
}
