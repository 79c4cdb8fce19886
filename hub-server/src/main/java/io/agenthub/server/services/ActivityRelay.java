package io.agenthub.server.services;

import io.agenthub.auth.Principal;
import io.agenthub.lifecycle.Activity;
import io.agenthub.lifecycle.Admission;

/**
 * The one cycle of the service graph, broken in plain sight: the services that report an agent's activity (agents,
 * leases, messages, checkpoints, handoffs, usage, tasks) are built before the two that receive it, the progress
 * tracker and the budgets, because those post their notices through the message service. {@link Services} hands this
 * relay to the first and binds it to the second once both exist; nothing reports activity before that.
 */
final class ActivityRelay implements Activity {
    private volatile Activity target;

    /** Binds the relay; once. */
    void bind(Activity activity) {
        if (target != null) {
            throw new IllegalStateException("the activity relay is bound once");
        }
        target = activity;
    }

    @Override
    public void progressed(String agentId) {
        target().progressed(agentId);
    }

    @Override
    public void admitWork(Principal caller) {
        target().admitWork(caller);
    }

    @Override
    public Admission admit(Principal caller) {
        return target().admit(caller);
    }

    private Activity target() {
        Activity t = target;
        if (t == null) {
            throw new IllegalStateException("activity reported before the services were wired");
        }
        return t;
    }
}
