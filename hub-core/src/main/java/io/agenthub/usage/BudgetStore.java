package io.agenthub.usage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for budget alerts, halts and acknowledgements. Each method is one atomic operation, so that of several
 * hub nodes crossing a threshold at once exactly one raises the alert.
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
}
