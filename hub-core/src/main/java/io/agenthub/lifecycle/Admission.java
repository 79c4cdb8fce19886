package io.agenthub.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * New work admitted: how long the agent is asked to wait before its next model call or new work (the budget's
 * throttle or the LLM back-off), zero for none. It comes out of the same budget reading that admitted the work, so an
 * acquire reads the budget once.
 */
public record Admission(Duration slowDown) {
    /** Admitted, with nothing to slow down for. */
    public static final Admission NONE = new Admission(Duration.ZERO);

    public Admission {
        Objects.requireNonNull(slowDown, "slowDown");
    }

    /** The delay to ask for, or empty when there is none. */
    public Optional<Duration> delay() {
        return slowDown.isPositive() ? Optional.of(slowDown) : Optional.empty();
    }
}
