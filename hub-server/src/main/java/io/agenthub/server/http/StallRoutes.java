package io.agenthub.server.http;

import io.agenthub.agent.StallDetector;
import java.util.Map;

/** {@code GET /api/stalls}: agents that are online but made no progress for the stall threshold. */
public final class StallRoutes {
    private final StallDetector stalls;

    public StallRoutes(StallDetector stalls) {
        this.stalls = stalls;
    }

    public void register(Router r) {
        r.get(
                "/api/stalls",
                Access.READ,
                call -> Reply.ok(
                        Map.of("stallAfterSeconds", stalls.stallAfter().toSeconds(), "stalled", stalls.stalled())));
    }
}
