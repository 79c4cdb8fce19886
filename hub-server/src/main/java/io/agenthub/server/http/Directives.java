package io.agenthub.server.http;

import io.agenthub.usage.BudgetService;
import java.util.Map;

/**
 * Response headers that tell an agent taking new work to slow down while the fleet is throttled: {@code Hub-Directive:
 * slow_down} and {@code Hub-Delay-Seconds}. The body is unchanged, so clients that ignore them still work.
 */
final class Directives {
    static final String DIRECTIVE = "Hub-Directive";
    static final String DELAY = "Hub-Delay-Seconds";

    private Directives() {}

    static Map<String, String> forWork(BudgetService budgets) {
        if (budgets == null) {
            return Map.of();
        }
        return budgets.slowDown()
                .map(d -> Map.of(DIRECTIVE, "slow_down", DELAY, Long.toString(d.toSeconds())))
                .orElse(Map.of());
    }

    static Reply with(Reply reply, Map<String, String> headers) {
        if (headers.isEmpty()) {
            return reply;
        }
        return new Reply(reply.status(), reply.body(), reply.contentType(), headers);
    }
}
