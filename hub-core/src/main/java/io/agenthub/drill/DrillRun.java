package io.agenthub.drill;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One run of the coordination drill.
 *
 * @param id unique per run, e.g. {@code drill-m3k2x1-4f9a2c}; the run's scratch namespace and simulated agents are
 *     named after it
 * @param trigger why it ran: {@code schedule}, {@code request} (the API or {@code hub drill})
 * @param node which hub node ran it
 * @param score points scored over points possible, 0 to 100 (skipped steps count for nothing)
 */
public record DrillRun(
        String id,
        String trigger,
        String node,
        Instant startedAt,
        long durationMillis,
        int score,
        int passed,
        int failed,
        int skipped,
        List<DrillStep> steps) {
    public DrillRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trigger, "trigger");
        node = node == null ? "" : node;
        Objects.requireNonNull(startedAt, "startedAt");
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** Builds a run from its steps, counting and scoring them. */
    public static DrillRun of(
            String id, String trigger, String node, Instant startedAt, long durationMillis, List<DrillStep> steps) {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int points = 0;
        for (DrillStep s : steps) {
            switch (s.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case SKIP -> skipped++;
            }
            points += s.points();
        }
        int possible = (passed + failed) * DrillStep.FULL;
        int score = possible == 0 ? 0 : Math.round(100f * points / possible);
        return new DrillRun(id, trigger, node, startedAt, durationMillis, score, passed, failed, skipped, steps);
    }

    /** True when no step failed (and at least one ran). */
    public boolean ok() {
        return failed == 0 && passed > 0;
    }

    /** Names of the failed steps, in run order. */
    public List<String> failures() {
        return steps.stream()
                .filter(s -> s.status() == DrillStep.Status.FAIL)
                .map(DrillStep::name)
                .toList();
    }
}
