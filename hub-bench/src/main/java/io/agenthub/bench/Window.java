package io.agenthub.bench;

import java.util.concurrent.TimeUnit;

/**
 * The measured interval of a workload, in {@link System#nanoTime()} units. Operations that start (or are scheduled to
 * start) inside it are recorded; those of the warm-up before it are not.
 */
record Window(long start, long end) {
    /** A window that opens after {@code warmupSeconds} from now and lasts {@code seconds}. */
    static Window after(double warmupSeconds, double seconds) {
        long start = System.nanoTime() + nanos(warmupSeconds);
        return new Window(start, start + nanos(seconds));
    }

    static long nanos(double seconds) {
        return (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    boolean contains(long nanoTime) {
        return nanoTime >= start && nanoTime < end;
    }

    boolean closed() {
        return System.nanoTime() >= end;
    }

    double seconds() {
        return (end - start) / 1e9;
    }
}
