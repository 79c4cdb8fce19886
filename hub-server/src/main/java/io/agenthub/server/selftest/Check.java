package io.agenthub.server.selftest;

import io.agenthub.error.HubException;
import java.util.Objects;

/**
 * One self-test check: a capability exercised through the real services, with its result verified. A check returns a
 * sentence saying what it verified, throws {@link Skipped} when it does not apply, and fails by throwing anything else.
 *
 * @param name stable, e.g. {@code lease-conflict}
 * @param capability the capability it covers, e.g. {@code leases}
 * @param body what it does on a fresh scratch hub; null for a live check
 * @param live what it does against the hub's own store (harmless probes); null for a scratch check
 */
public record Check(String name, String capability, String description, Body body, LiveBody live) {
    public Check {
        Objects.requireNonNull(name);
        Objects.requireNonNull(capability);
        Objects.requireNonNull(description);
        if ((body == null) == (live == null)) {
            throw new IllegalArgumentException("a check has a scratch body or a live body");
        }
    }

    /** What a scratch check does. */
    @FunctionalInterface
    public interface Body {
        String run(Scratch s) throws Exception;
    }

    /** What a live check does with the hub's own stores. */
    @FunctionalInterface
    public interface LiveBody {
        String run(io.agenthub.store.Stores live) throws Exception;
    }

    /** A check on a scratch hub. */
    static Check of(String name, String capability, String description, Body body) {
        return new Check(name, capability, description, body, null);
    }

    /** A check against the hub's own stores. */
    static Check live(String name, String capability, String description, LiveBody body) {
        return new Check(name, capability, description, null, body);
    }

    /** Thrown by a check that does not apply here. */
    public static final class Skipped extends RuntimeException {
        public Skipped(String why) {
            super(why, null, false, false);
        }
    }

    /** Fails the check unless {@code condition} holds. */
    static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected " + what);
        }
    }

    /** Fails the check unless {@code actual} equals {@code expected}. */
    static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError("expected " + what + " to be " + expected + ", got " + actual);
        }
    }

    /** Runs {@code action} and returns the {@code type} it must throw; fails the check otherwise. */
    static <E extends HubException> E refused(Class<E> type, Action action, String what) throws Exception {
        try {
            action.run();
        } catch (HubException e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw new AssertionError("expected " + what + " to be refused with " + type.getSimpleName() + ", got "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        throw new AssertionError("expected " + what + " to be refused, but it succeeded");
    }

    /** Code under test that may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }
}
