package io.agenthub.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for budget alerts, halts, acknowledgements and the auto-throttle's admissions. Each method is one atomic
 * operation, so that of several hub nodes crossing a threshold at once exactly one raises the alert, and of several
 * nodes admitting the same agent's work at once exactly one admits it.
 */
public interface BudgetStore {
    /**
     * Records {@code alert} unless one for the same (day, scope, level) exists; for level {@link BudgetLevel#HALT} it
     * also puts a {@link Halt} of the scope in force (unless one is). One atomic operation: true for exactly one of
     * concurrent callers, the one that should announce it.
     */
    boolean raise(BudgetAlert alert);

    /** Alerts raised on days {@code from <= day <= to}, oldest first. */
    List<BudgetAlert> alerts(String from, String to);

    /** The halts in force, by scope. */
    List<Halt> halts();

    /**
     * Lifts the halt of {@code scope} and records the acknowledgement (who, note, when), in one atomic operation.
     * Empty if no halt of the scope was in force (for example another admin acknowledged it first). A later
     * {@link #raise} of a HALT alert for the same day and scope does not put it in force again.
     */
    Optional<Acknowledgement> acknowledge(String scope, String by, String note, Instant now);

    /** The newest acknowledgements, newest first, at most {@code limit}. */
    List<Acknowledgement> acknowledgements(int limit);

    /**
     * Admits one piece of new work by a throttled agent: at most one admission per {@code interval} and agent, across
     * every hub node on this store. Checks the agent's last admission and records {@code now} as the new one in one
     * atomic operation, so of concurrent callers within one interval exactly one is admitted.
     *
     * <p>Time is {@code now} (millisecond precision), never the store's own clock. The last admission blocks the
     * instants {@code last - interval < now < last + interval}: one a little in the future (another node's clock a
     * little ahead) still counts, one at least an interval in the future (a clock set back) does not. The store may
     * forget admissions older than an interval.
     *
     * @param interval positive
     * @return empty if admitted (and recorded); otherwise the instant from which the next admission is allowed ({@code
     *     last + interval}), and nothing is recorded
     */
    Optional<Instant> admit(String agentId, Duration interval, Instant now);
}
