package io.agenthub.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /hooks/claude/{event}}: Claude Code's hook events, handled by the hub. The event's JSON goes to the hub as
 * Claude Code wrote it and the hub's answer comes back as Claude Code reads it, so neither is parsed here (a command
 * hook that uses this starts without loading a JSON library).
 */
public final class Hooks {
    private final Transport t;

    /**
     * Where the event comes from: the agent the session runs as (checked against the token's), the repository's name
     * and the checkout's root, from which the hub makes edited paths lease names. Empty strings are sent as they are.
     */
    public record Origin(String agentId, String repository, String projectDir) {
        Map<String, String> headers() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("X-Hub-Agent", agentId == null ? "" : agentId);
            h.put("X-Hub-Repository", repository == null ? "" : repository);
            h.put("X-Hub-Project-Dir", projectDir == null ? "" : projectDir);
            return h;
        }
    }

    Hooks(Transport t) {
        this.t = t;
    }

    /**
     * Posts one event ({@code session-start}, {@code user-prompt-submit}, {@code pre-tool-use}, {@code post-tool-use},
     * {@code pre-compact}, {@code stop}, {@code session-end}) and returns the hook's output JSON, or an empty string
     * when the hub has nothing to add. Bounded by the client's request timeout.
     */
    public String claude(String event, byte[] payload, Origin origin) {
        Transport.Answer a = t.postRaw(
                "/hooks/claude/" + Transport.segment(event),
                payload,
                "application/json",
                origin.headers(),
                t.requestTimeout());
        return new String(a.body(), StandardCharsets.UTF_8);
    }
}
