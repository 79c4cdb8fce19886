package io.agenthub.server.http;

import io.agenthub.lifecycle.Admission;
import io.agenthub.usage.BudgetService;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Response headers that tell an agent taking new work to slow down while the fleet is throttled: {@code Hub-Directive:
 * slow_down} and {@code Hub-Delay-Seconds}; or, when its pool is scaled down and it was chosen, to save a checkpoint
 * and exit: {@code Hub-Directive: checkpoint_exit} and {@code Hub-Exit-By} (until when the directive holds). The body
 * is unchanged, so clients that ignore them still work.
 */
final class Directives {
    static final String DIRECTIVE = "Hub-Directive";
    static final String DELAY = "Hub-Delay-Seconds";
    static final String EXIT_BY = "Hub-Exit-By";
    static final String CHECKPOINT_EXIT = "checkpoint_exit";

    private Directives() {}

    static Map<String, String> forWork(BudgetService budgets) {
        if (budgets == null) {
            return Map.of();
        }
        return forAdmission(budgets.slowDown().map(Admission::new).orElse(Admission.NONE));
    }

    /** The slow-down directive of work admitted with {@code admission}, or nothing. */
    static Map<String, String> forAdmission(Admission admission) {
        return admission
                .delay()
                .map(d -> Map.of(DIRECTIVE, "slow_down", DELAY, Long.toString(d.toSeconds())))
                .orElse(Map.of());
    }

    /** The scale-down directive for an agent chosen until {@code until}, or nothing. */
    static Map<String, String> forExit(Optional<Instant> until) {
        return until.map(u -> Map.of(DIRECTIVE, CHECKPOINT_EXIT, EXIT_BY, u.toString()))
                .orElse(Map.of());
    }

    static Reply with(Reply reply, Map<String, String> headers) {
        if (headers.isEmpty()) {
            return reply;
        }
        return new Reply(reply.status(), reply.body(), reply.contentType(), headers);
    }
}
