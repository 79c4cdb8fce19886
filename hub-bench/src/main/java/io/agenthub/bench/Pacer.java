package io.agenthub.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Open-loop pacing for simulated agents: each series (one agent's heartbeats, say) runs at fixed intended times
 * {@code first, first + period, ...}. One timer thread dispatches due operations onto virtual threads, so thousands of
 * agents cost no platform thread each. A series is sequential, like an agent's own loop: when an operation ends after
 * the next one was due, the next starts at once. Every operation is handed its intended start time, and latency is
 * measured from it, so time spent behind schedule counts (no coordinated omission).
 *
 * <p>Series stop scheduling at {@code stopAt}. An operation that is still waiting for its turn at {@code giveUpAt}
 * (because its series fell that far behind) is not sent; it and the rest of its series are counted as errors.
 */
final class Pacer implements AutoCloseable {
    /** One paced operation. */
    @FunctionalInterface
    interface Operation {
        /** @param intended when this operation was due, in {@link System#nanoTime()} units */
        void run(long intended) throws InterruptedException;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-pacer").daemon().factory());
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Phaser running = new Phaser(1);
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private final long stopAt;
    private final long giveUpAt;

    Pacer(long stopAt, long giveUpAt) {
        this.stopAt = stopAt;
        this.giveUpAt = giveUpAt;
    }

    /**
     * Starts a series.
     *
     * @param op where operations that had to be dropped are counted
     */
    void every(long first, long periodNanos, OpRecorder op, Operation operation) {
        running.register();
        new Series(first, periodNanos, op, operation).schedule();
    }

    /** Waits until every series has ended, but no longer than until {@code deadline}. */
    void awaitAll(long deadline) throws InterruptedException {
        int phase = running.arrive();
        try {
            running.awaitAdvanceInterruptibly(phase, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Stragglers are cut off by close(); their requests time out on their own.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private final class Series implements Runnable {
        private final long period;
        private final OpRecorder op;
        private final Operation operation;
        private long next;

        Series(long first, long period, OpRecorder op, Operation operation) {
            this.next = first;
            this.period = period;
            this.op = op;
            this.operation = operation;
        }

        void schedule() {
            if (next >= stopAt) {
                running.arriveAndDeregister();
                return;
            }
            long delay = next - System.nanoTime();
            try {
                if (delay <= 0) {
                    workers.execute(this);
                } else {
                    timer.schedule(() -> workers.execute(this), delay, TimeUnit.NANOSECONDS);
                }
            } catch (RejectedExecutionException e) {
                // The pacer was closed at the hard stop; this series ends here.
                running.arriveAndDeregister();
            }
        }

        @Override
        public void run() {
            if (System.nanoTime() >= giveUpAt) {
                long left = (stopAt - next + period - 1) / period;
                op.errors(left, "not sent: fell behind schedule past the end of the run");
                running.arriveAndDeregister();
                return;
            }
            try {
                operation.run(next);
            } catch (InterruptedException e) {
                running.arriveAndDeregister();
                return;
            } catch (RuntimeException e) {
                // A bug in the bench, not an HTTP failure: count it where it shows, say it once, keep the schedule.
                op.errors(1, "generator failure: " + Response.describe(e));
                if (!failureReported.getAndSet(true)) {
                    e.printStackTrace();
                }
            }
            next += period;
            schedule();
        }
    }
}
