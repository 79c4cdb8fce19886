package io.agenthub.pool;

import io.agenthub.agent.Agent;
import io.agenthub.ops.Counters;
import io.agenthub.task.Task;
import io.agenthub.task.TaskListener;
import io.agenthub.task.TaskService;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Counts every task change into the shared one-minute counters, per pool and per version of the agent that held the
 * claim, so that {@link PoolService} reads rates over a window without reading task history. Counter names are {@code
 * task|<kind>|<pool>|<version>} (a pool name never holds {@code |}; the version comes last and may).
 *
 * <p>Kinds: {@code created} (version empty), {@code claimed}, {@code first} (first attempts) with {@code wait_ms}
 * (their time from creation to the claim), {@code done}, {@code failed} (a failure reported by the agent, including one that left the
 * task dead), {@code lost} (the claim expired or was taken back from a disabled agent), {@code ms} (the claim's
 * duration, for done and failed attempts).
 */
public final class PoolTally implements TaskListener {
    static final String PREFIX = "task|";

    /** What each ended attempt is reported as, besides the counters (the metrics adapter listens). */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (kind, pool, version, took) -> {};

        /**
         * @param kind {@code claimed}, {@code done}, {@code failed} or {@code lost}
         * @param took the claim's duration for done and failed, else null
         */
        void attempt(String kind, String pool, String version, Duration took);
    }

    private final Counters counters;
    private final Function<String, Optional<Agent>> agents;
    private final Observer observer;

    public PoolTally(Counters counters, Function<String, Optional<Agent>> agents, Observer observer) {
        this.counters = counters;
        this.agents = agents;
        this.observer = observer;
    }

    /** The counter of {@code kind} for one pool and version. */
    static String name(String kind, String pool, String version) {
        return PREFIX + kind + '|' + pool + '|' + version;
    }

    @Override
    public void changed(String kind, Task task, String detail) {
        try {
            count(kind, task);
        } catch (RuntimeException e) {
            // Statistics are best effort: the change itself is stored, and a listener must not throw.
        }
    }

    private void count(String kind, Task t) {
        if (kind.equals("created")) {
            counters.increment(name("created", t.pool(), ""));
            return;
        }
        if (t.claim() == null) {
            return;
        }
        String outcome = switch (kind) {
            case "claimed" -> "claimed";
            case "completed" -> "done";
            case "failed" -> "failed";
            case "requeued" -> "lost";
            // Dead after its last attempt (failed or expired); a queued task past its deadline ran no attempt.
            case "dead" ->
                t.attempts() >= t.maxAttempts() ? (t.reason().endsWith("no attempts left") ? "lost" : "failed") : null;
            default -> null;
        };
        if (outcome == null) {
            return;
        }
        String version =
                agents.apply(t.claim().holder()).map(TaskService::versionOf).orElse("");
        counters.increment(name(outcome, t.pool(), version));
        Duration took = null;
        if (outcome.equals("claimed")) {
            if (t.attempts() == 1) {
                counters.increment(name("first", t.pool(), version));
                counters.add(
                        name("wait_ms", t.pool(), version),
                        Duration.between(t.createdAt(), t.claim().claimedAt()).toMillis());
            }
        } else if (!outcome.equals("lost")) {
            took = Duration.between(t.claim().claimedAt(), t.updatedAt());
            counters.add(name("ms", t.pool(), version), Math.max(0, took.toMillis()));
        }
        observer.attempt(outcome, t.pool(), version, took);
    }
}
