package io.agenthub.deadline;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one deadline of the request the current thread serves: a store that talks to a server over the network (Redis)
 * gives each command at most the time left, and refuses to send one once none is left, so that a request making
 * several calls to a slow store still ends within its budget instead of within one timeout per call.
 *
 * <p>The deadline is set by the protocol adapter around each request ({@link #start}); code that is not a request (a
 * scheduled task) has none and gets the store's own per-command timeout. Work that waits on purpose (a long-poll, an
 * event stream between events) calls {@link #renew} when it starts reading again: the budget bounds the store work of
 * each step, not the wait. Work shared by many requests (one computation for concurrent callers) runs
 * {@link #outside} any one caller's deadline.
 *
 * <p>Time is {@link System#nanoTime()}: a deadline bounds real waiting, not domain time, so it takes no injected clock.
 * Per thread; request threads are virtual, one per request.
 */
public final class RequestDeadline {
    private static final ThreadLocal<Budget> CURRENT = new ThreadLocal<>();

    private static final class Budget {
        final long nanos;
        long deadline;

        Budget(long nanos) {
            this.nanos = nanos;
            this.deadline = System.nanoTime() + nanos;
        }
    }

    private RequestDeadline() {}

    /** Ends the deadline set by {@link #start}, restoring the one before it (none, usually). */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Gives the current thread a deadline {@code budget} from now until the scope closes; {@link Duration#ZERO} sets
     * none. A deadline already in force that ends sooner is kept.
     */
    public static Scope start(Duration budget) {
        Budget before = CURRENT.get();
        if (budget.isZero() || budget.isNegative()) {
            return () -> {};
        }
        Budget b = new Budget(budget.toNanos());
        if (before == null || b.deadline - before.deadline < 0) {
            CURRENT.set(b);
        }
        return () -> restore(before);
    }

    private static void restore(Budget before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    /**
     * Nanoseconds left before the current thread's deadline (zero or less once it has passed), or
     * {@link Long#MAX_VALUE} when the thread has none.
     */
    public static long remainingNanos() {
        Budget b = CURRENT.get();
        return b == null ? Long.MAX_VALUE : b.deadline - System.nanoTime();
    }

    /** The budget in force on this thread, or {@link Duration#ZERO} when there is none. */
    public static Duration budget() {
        Budget b = CURRENT.get();
        return b == null ? Duration.ZERO : Duration.ofNanos(b.nanos);
    }

    /** After a deliberate wait: the current request gets its whole budget again, from now. No-op without a deadline. */
    public static void renew() {
        Budget b = CURRENT.get();
        if (b != null) {
            b.deadline = System.nanoTime() + b.nanos;
        }
    }

    /** Runs {@code work} with no deadline (work shared by several requests), then restores the current one. */
    public static <T> T outside(Supplier<T> work) {
        Budget before = CURRENT.get();
        CURRENT.remove();
        try {
            return work.get();
        } finally {
            restore(before);
        }
    }
}
