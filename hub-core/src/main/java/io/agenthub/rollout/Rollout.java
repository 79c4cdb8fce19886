package io.agenthub.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The routing state of one pool: which version gets which share of its new tasks, where the rollout stands, and its
 * decision log. Stored whole and replaced with a compare-and-set on {@code revision}.
 *
 * @param baseline the version in production before the rollout (blue)
 * @param candidate the version being rolled out (the canary, or green)
 * @param steps canary weights in percent, ascending, the last one 100; empty for blue-green
 * @param step index into {@code steps} of the current weight (canary)
 * @param weight the percentage of new production tasks routed to the candidate (0 to 100)
 * @param hold how long a canary step is observed before the next
 * @param maxErrorRate the candidate's failure rate (0 to 1) above which a canary is rolled back
 * @param maxLatencyRatio the candidate's mean task duration over the baseline's above which a canary is rolled back
 * @param window the number of the current observation window; outcome counters count per window, and a new step
 *     starts a new one
 * @param windowStart when the current window (step) began
 * @param verification the result of the last blue-green verification, empty before one
 * @param revision grows with every save; 0 before the first
 * @param log the decisions, oldest first, at most {@link #MAX_LOG}
 */
public record Rollout(
        String pool,
        Strategy strategy,
        Stage stage,
        String baseline,
        String candidate,
        List<Integer> steps,
        int step,
        int weight,
        Duration hold,
        double maxErrorRate,
        double maxLatencyRatio,
        long window,
        Instant windowStart,
        String verification,
        String startedBy,
        Instant createdAt,
        Instant updatedAt,
        long revision,
        List<Decision> log) {
    /** Decisions kept in the log; older ones are dropped. */
    public static final int MAX_LOG = 50;

    /** How traffic moves to the candidate. */
    public enum Strategy {
        CANARY,
        BLUE_GREEN;

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** Where a rollout stands. */
    public enum Stage {
        /** Canary: the current step is being observed. */
        RUNNING(true),
        /** Canary: held at its weight by an operator; not evaluated. */
        PAUSED(true),
        /** Canary: the candidate has all production tasks; it is the pool's version now. */
        PROMOTED(false),
        /** Production tasks go to the baseline again. */
        ROLLED_BACK(false),
        /** Blue-green: test tasks go to green, production to blue. */
        TESTING(true),
        /** Blue-green: the test tasks succeeded; ready to switch. */
        VERIFIED(true),
        /** Blue-green: the verification found failures; switching needs a new verification or force. */
        VERIFY_FAILED(true),
        /** Blue-green: production goes to green; blue stays registered and warm for a rollback. */
        SWITCHED(false);

        private final boolean active;

        Stage(boolean active) {
            this.active = active;
        }

        /** True while the rollout is in progress (a new rollout of the pool must wait). */
        public boolean active() {
            return active;
        }

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** One line of the decision log. */
    public record Decision(Instant at, String by, String action, String detail) {
        public Decision {
            Objects.requireNonNull(at, "at");
            by = by == null ? "" : by;
            Objects.requireNonNull(action, "action");
            detail = detail == null ? "" : detail;
        }
    }

    public Rollout {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(stage, "stage");
        baseline = baseline == null ? "" : baseline;
        Objects.requireNonNull(candidate, "candidate");
        steps = steps == null ? List.of() : List.copyOf(steps);
        hold = hold == null ? Duration.ZERO : hold;
        Objects.requireNonNull(windowStart, "windowStart");
        verification = verification == null ? "" : verification;
        startedBy = startedBy == null ? "" : startedBy;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        log = log == null ? List.of() : List.copyOf(log);
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight must be between 0 and 100");
        }
    }

    /** The version that production tasks settle on once this rollout ends as it stands. */
    public String stable() {
        return switch (stage) {
            case PROMOTED, SWITCHED -> candidate;
            default -> baseline;
        };
    }

    /** This rollout moved to {@code stage} with {@code weight}, a decision appended, at {@code now}. */
    public Rollout next(Stage stage, int weight, Instant now, String by, String action, String detail) {
        List<Decision> l = new ArrayList<>(log);
        l.add(new Decision(now, by, action, detail));
        while (l.size() > MAX_LOG) {
            l.remove(0);
        }
        return new Rollout(
                pool,
                strategy,
                stage,
                baseline,
                candidate,
                steps,
                step,
                weight,
                hold,
                maxErrorRate,
                maxLatencyRatio,
                window,
                windowStart,
                verification,
                startedBy,
                createdAt,
                now,
                revision,
                l);
    }

    /** At canary step {@code index}, in a new observation window from {@code now}. */
    public Rollout atStep(int index, Instant now) {
        return new Rollout(
                pool,
                strategy,
                stage,
                baseline,
                candidate,
                steps,
                index,
                steps.get(index),
                hold,
                maxErrorRate,
                maxLatencyRatio,
                window + 1,
                now,
                verification,
                startedBy,
                createdAt,
                now,
                revision,
                log);
    }

    /** With a new observation window from {@code now} (the counters start again). */
    public Rollout newWindow(Instant now) {
        return new Rollout(
                pool,
                strategy,
                stage,
                baseline,
                candidate,
                steps,
                step,
                weight,
                hold,
                maxErrorRate,
                maxLatencyRatio,
                window + 1,
                now,
                verification,
                startedBy,
                createdAt,
                now,
                revision,
                log);
    }

    public Rollout withVerification(String result) {
        return new Rollout(
                pool,
                strategy,
                stage,
                baseline,
                candidate,
                steps,
                step,
                weight,
                hold,
                maxErrorRate,
                maxLatencyRatio,
                window,
                windowStart,
                result,
                startedBy,
                createdAt,
                updatedAt,
                revision,
                log);
    }

    /** As stored under {@code revision}. */
    public Rollout withRevision(long revision) {
        return new Rollout(
                pool,
                strategy,
                stage,
                baseline,
                candidate,
                steps,
                step,
                weight,
                hold,
                maxErrorRate,
                maxLatencyRatio,
                window,
                windowStart,
                verification,
                startedBy,
                createdAt,
                updatedAt,
                revision,
                log);
    }
}
