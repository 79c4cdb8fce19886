package io.agenthub.selftest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One run of the self-test.
 *
 * @param id unique per run
 * @param trigger why it ran: {@code startup}, {@code schedule} or {@code request}
 * @param node which hub node ran it
 */
public record SelfTestRun(
        String id,
        String trigger,
        String node,
        Instant startedAt,
        long durationMillis,
        int passed,
        int failed,
        int skipped,
        List<CheckResult> results) {
    public SelfTestRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trigger, "trigger");
        node = node == null ? "" : node;
        Objects.requireNonNull(startedAt, "startedAt");
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** Passed / (passed + failed); skipped checks do not count. 1 when nothing ran. */
    public double passRate() {
        int ran = passed + failed;
        return ran == 0 ? 1.0 : (double) passed / ran;
    }

    /** Names of the failed checks, in run order. */
    public List<String> failures() {
        return results.stream()
                .filter(r -> r.status() == CheckResult.Status.FAIL)
                .map(CheckResult::name)
                .toList();
    }
}
