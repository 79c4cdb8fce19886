package io.agenthub.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Outcomes of one kind of operation inside a {@link Window}: latencies of successes and expected conflicts in an
 * HdrHistogram (microseconds, 3 significant digits, fixed range, so memory stays bounded whatever the run length), and
 * counts of conflicts and errors, with errors broken down by kind. Thread-safe; recording is wait-free.
 *
 * <p>Errors are counted, not timed: a timeout would otherwise stand in the percentiles for a reply that never came.
 */
final class OpRecorder {
    /** Latencies above this are clamped to it; no request of the bench lasts that long. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private static final int MAX_ERROR_KINDS = 24;

    /** How an operation ended. */
    enum Outcome {
        OK,
        CONFLICT,
        ERROR
    }

    private final String name;
    private final Window window;
    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final long joinStart;
    private final Recorder joining;
    private final LongAdder ok = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    private Histogram snapshot;
    private Histogram joiningSnapshot;

    OpRecorder(String name, Window window) {
        this(name, window, window.start());
    }

    /**
     * A recorder that also times, apart from the measured results, the operations that start between
     * {@code joinStart} and the window's start: a fleet's first contact with the hub, reported beside the steady state
     * rather than hidden by the warm-up.
     */
    OpRecorder(String name, Window window, long joinStart) {
        this.name = name;
        this.window = window;
        this.joinStart = joinStart;
        this.joining = joinStart < window.start() ? new Recorder(HIGHEST_MICROS, 3) : null;
    }

    String name() {
        return name;
    }

    /**
     * Classifies and records a reply: {@code expected} is success, a 409 {@code lease_held} is a conflict when
     * {@code conflictExpected}, anything else (a 5xx, a transport failure, any other 4xx) is an error.
     *
     * @param start when the operation started or was scheduled to start ({@link System#nanoTime()})
     */
    Outcome record(long start, long end, Response r, int expected, boolean conflictExpected) {
        return judge(start, end, r, expected, conflictExpected && Api.HUB.refused(r));
    }

    /**
     * As {@link #record}, with the caller deciding whether the reply is an expected refusal ({@code conflict}), for
     * servers that say so differently ({@link Api#refused}).
     */
    Outcome judge(long start, long end, Response r, int expected, boolean conflict) {
        if (r.is(expected)) {
            ok(start, end);
            return Outcome.OK;
        }
        if (conflict) {
            conflict(start, end);
            return Outcome.CONFLICT;
        }
        error(start, r.describe());
        return Outcome.ERROR;
    }

    void ok(long start, long end) {
        joining(start, end);
        if (window.contains(start)) {
            ok.increment();
            time(start, end);
        }
    }

    void conflict(long start, long end) {
        joining(start, end);
        if (window.contains(start)) {
            conflicts.increment();
            time(start, end);
        }
    }

    /** A conflict counted without a latency (e.g. a lease cycle that stopped at its acquire). */
    void conflict(long start) {
        if (window.contains(start)) {
            conflicts.increment();
        }
    }

    void error(long start, String kind) {
        if (window.contains(start)) {
            errors(1, kind);
        }
    }

    /** Counts {@code n} errors of one kind regardless of time (operations that were never sent). */
    void errors(long n, String kind) {
        errors.add(n);
        LongAdder counter = errorKinds.get(kind);
        if (counter == null) {
            counter = errorKinds.size() < MAX_ERROR_KINDS
                    ? errorKinds.computeIfAbsent(kind, k -> new LongAdder())
                    : errorKinds.computeIfAbsent("other", k -> new LongAdder());
        }
        counter.add(n);
    }

    private void time(long start, long end) {
        latency.recordValue(micros(start, end));
    }

    private static long micros(long start, long end) {
        return Math.min(HIGHEST_MICROS, Math.max(0, (end - start) / 1_000));
    }

    private void joining(long start, long end) {
        if (joining != null && start >= joinStart && start < window.start()) {
            joining.recordValue(micros(start, end));
        }
    }

    /**
     * Latencies of the successes and conflicts that started while joining (none unless a join start was given); call
     * once recording is over.
     */
    synchronized Histogram joiningHistogram() {
        if (joiningSnapshot == null) {
            joiningSnapshot = joining == null ? new Histogram(HIGHEST_MICROS, 3) : joining.getIntervalHistogram();
        }
        return joiningSnapshot;
    }

    /** The latencies recorded so far; call once recording is over. */
    synchronized Histogram histogram() {
        if (snapshot == null) {
            snapshot = latency.getIntervalHistogram();
        }
        return snapshot;
    }

    /** The results; call once recording is over. */
    OpStats stats() {
        Map<String, Long> kinds = new LinkedHashMap<>();
        errorKinds.entrySet().stream()
                .sorted(Comparator.comparingLong(
                        (Map.Entry<String, LongAdder> e) -> -e.getValue().sum()))
                .forEach(e -> kinds.put(e.getKey(), e.getValue().sum()));
        return OpStats.of(name, histogram(), ok.sum(), conflicts.sum(), errors.sum(), kinds, window.seconds());
    }
}
