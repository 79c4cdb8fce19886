package io.agenthub.lifecycle;

import io.agenthub.auth.Principal;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the domain services tell the agent lifecycle about an agent's work. Services call {@link #progressed} after a
 * change that shows an agent is getting somewhere (stall detection), and {@link #admitWork} before an agent takes new
 * work (budget throttle and halt). The composition root wires both; {@link #NONE} ignores everything.
 */
public interface Activity {
    /** Ignores progress and admits all work. */
    Activity NONE = of(id -> {}, caller -> {});

    /**
     * The agent made progress: it changed its task or status, took, renewed or released a lease, wrote a message or a
     * checkpoint, reported usage, or moved a handoff on. Cheap and never fails the caller's operation.
     */
    void progressed(String agentId);

    /**
     * Called before {@code caller} takes new work (acquires a lease, creates or accepts a handoff). Returns normally
     * when the work is admitted; throws a {@link io.agenthub.error.HubException} (rate-limited or halted) when the
     * budget forbids it.
     */
    void admitWork(Principal caller);

    /**
     * Admits new work like {@link #admitWork} and says, from the same reading of the budget, how long the agent is
     * asked to slow down. Callers that answer with a slow-down directive use this instead of asking the budget again.
     */
    default Admission admit(Principal caller) {
        admitWork(caller);
        return Admission.NONE;
    }

    /** An activity from two functions, the second of which admits work and says how long to slow down. */
    static Activity admitting(Consumer<String> progressed, Function<Principal, Admission> admit) {
        Objects.requireNonNull(progressed, "progressed");
        Objects.requireNonNull(admit, "admit");
        return new Activity() {
            @Override
            public void progressed(String agentId) {
                progressed.accept(agentId);
            }

            @Override
            public void admitWork(Principal caller) {
                admit.apply(caller);
            }

            @Override
            public Admission admit(Principal caller) {
                return admit.apply(caller);
            }
        };
    }

    /** An activity from two functions. */
    static Activity of(Consumer<String> progressed, Consumer<Principal> admitWork) {
        Objects.requireNonNull(admitWork, "admitWork");
        return admitting(progressed, caller -> {
            admitWork.accept(caller);
            return Admission.NONE;
        });
    }
}
