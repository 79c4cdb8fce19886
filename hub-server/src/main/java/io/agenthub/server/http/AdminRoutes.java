package io.agenthub.server.http;

import io.agenthub.auth.AuthService;
import io.agenthub.server.ops.EmergencyService;
import io.agenthub.server.ops.SnapshotExport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Emergency tools: {@code /api/export}, {@code /api/keys/rotate}, {@code /api/agents/{id}/disable} and
 * {@code /api/agents/{id}/enable}.
 */
public final class AdminRoutes {
    private final SnapshotExport export;
    private final EmergencyService emergency;
    private final InstantSource clock;

    record RotateBody(Long overlapSeconds, Boolean agents) {}

    record DisableBody(String reason) {}

    record EnableBody(String reason) {}

    public AdminRoutes(SnapshotExport export, EmergencyService emergency, InstantSource clock) {
        this.export = export;
        this.emergency = emergency;
        this.clock = clock;
    }

    public void register(Router r) {
        r.get("/api/export", Access.ADMIN, call -> {
            var resp = call.response();
            // The response starts with the first record, so that a store that cannot export answers with a problem.
            export.export(() -> {
                resp.setStatus(200);
                resp.setContentType("application/x-ndjson");
                resp.setCharacterEncoding("utf-8");
                resp.setHeader(
                        "Content-Disposition",
                        "attachment; filename=\"hub-snapshot-" + clock.instant().getEpochSecond() + ".jsonl\"");
                try {
                    return resp.getOutputStream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return Reply.STREAMED;
        });
        r.post("/api/keys/rotate", Access.ADMIN, call -> {
            RotateBody b = call.body(RotateBody.class);
            Duration overlap = Duration.ofSeconds(b.overlapSeconds() == null ? 3600 : b.overlapSeconds());
            AuthService.Rotation rotation = emergency.rotateKeys(call.principal(), overlap);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("adminToken", rotation.adminToken().secret());
            Map<String, String> keys = new LinkedHashMap<>();
            rotation.joinKeys().forEach((label, issued) -> keys.put(label, issued.secret()));
            out.put("joinKeys", keys);
            if (Boolean.TRUE.equals(b.agents())) {
                Map<String, String> tokens = new LinkedHashMap<>();
                emergency
                        .rotateAgentTokens(call.principal(), overlap)
                        .forEach((agent, issued) -> tokens.put(agent, issued.secret()));
                out.put("agentTokens", tokens);
            }
            out.put("oldValidUntil", rotation.oldValidUntil());
            return Reply.ok(out);
        });
        r.post("/api/agents/{id}/disable", Access.ADMIN, call -> {
            DisableBody b = call.body(DisableBody.class);
            return Reply.ok(emergency.disableAgent(call.principal(), call.path("id"), b.reason()));
        });
        r.post("/api/agents/{id}/enable", Access.ADMIN, call -> {
            EnableBody b = call.bodyOr(EnableBody.class, new EnableBody(null));
            EmergencyService.Enabled e = emergency.enableAgent(call.principal(), call.path("id"), b.reason());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("agentId", e.agentId());
            out.put("wasDisabled", e.cleared() != null);
            out.put("cleared", e.cleared());
            return Reply.ok(out);
        });
    }
}
