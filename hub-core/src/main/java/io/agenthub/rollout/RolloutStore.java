package io.agenthub.rollout;

import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for rollouts: one {@link Rollout} per pool, replaced by compare-and-set, and bounded outcome counters
 * per pool, observation window and side. Each method is one atomic step in the store (one transaction in SQLite, one
 * Lua script in Redis), so several hub nodes may evaluate and count at once.
 */
public interface RolloutStore {
    /** Which side of a rollout a task outcome belongs to. */
    enum Side {
        BASELINE,
        CANDIDATE;

        public String label() {
            return name().toLowerCase();
        }
    }

    /** What happened to one task (or one error report). */
    enum Outcome {
        COMPLETED,
        FAILED,
        ERROR_REPORT
    }

    /**
     * Outcomes counted on one side in one window.
     *
     * @param completed tasks completed
     * @param failed attempts failed (including those that left the task dead)
     * @param errors error reports of the side's agents
     * @param durationMs summed claim-to-outcome time of the completed and failed tasks
     */
    record Counts(long completed, long failed, long errors, long durationMs) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0);

        /** Completed and failed attempts. */
        public long attempts() {
            return completed + failed;
        }

        /** Failed attempts and error reports per attempt (0 without attempts). */
        public double errorRate() {
            return attempts() == 0 ? 0 : (double) (failed + errors) / attempts();
        }

        /** Mean duration of an attempt in milliseconds (0 without attempts). */
        public double meanDurationMs() {
            return attempts() == 0 ? 0 : (double) durationMs / attempts();
        }
    }

    /** The counts of both sides in one window. */
    record Health(Counts baseline, Counts candidate) {}

    Optional<Rollout> find(String pool);

    /** Every pool's rollout, ordered by pool. */
    List<Rollout> list();

    /**
     * Stores {@code next} as the pool's rollout under revision {@code expectedRevision + 1}, only if the stored one has
     * {@code expectedRevision} (0: there is none). When the window changes, the counters of every other window of the
     * pool are dropped in the same step. Returns the stored rollout, or empty when another writer came first.
     */
    Optional<Rollout> save(Rollout next, long expectedRevision);

    /**
     * Removes the pool's rollout and its counters, only if the stored one has {@code expectedRevision}; false when it
     * changed meanwhile or there is none.
     */
    boolean delete(String pool, long expectedRevision);

    /**
     * Adds one outcome to the counters of the pool's window {@code window} on {@code side}, only while that is the
     * stored rollout's current window (a late outcome of an earlier step is dropped). Atomic increment.
     */
    void count(String pool, long window, Side side, Outcome outcome, long durationMs);

    /** The counters of the pool's window (zero where nothing was counted). */
    Health health(String pool, long window);
}
