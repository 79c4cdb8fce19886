package io.agenthub.server.ops;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.Presence;
import io.agenthub.auth.Role;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Facts from other domains that the alert and tier rules read. Until the usage and lifecycle services provide them:
 * tokens today are unknown (TokenBudgetExceeded stays silent), stalled agents are the agents whose presence is stale
 * (they missed heartbeats but are not yet offline), and no budget halt is in force.
 */
public final class FleetSignals {
    private volatile Supplier<OptionalLong> tokensToday = OptionalLong::empty;
    private volatile Supplier<List<String>> stalledAgents;
    private volatile BooleanSupplier budgetHalted = () -> false;

    public FleetSignals(AgentService agents) {
        this.stalledAgents = () -> agents.list().stream()
                .filter(a -> a.role() == Role.AGENT && a.presence() == Presence.STALE && a.disabled() == null)
                .map(Agent::id)
                .toList();
    }

    /** Tokens used by the whole fleet today (UTC), if known. */
    public OptionalLong tokensToday() {
        return tokensToday.get();
    }

    /** Agents that are present but make no progress. */
    public List<String> stalledAgents() {
        return stalledAgents.get();
    }

    /** Whether a budget emergency halt is in force. */
    public boolean budgetHalted() {
        return budgetHalted.getAsBoolean();
    }

    public FleetSignals useTokensToday(Supplier<OptionalLong> source) {
        this.tokensToday = source;
        return this;
    }

    public FleetSignals useStalledAgents(Supplier<List<String>> source) {
        this.stalledAgents = source;
        return this;
    }

    public FleetSignals useBudgetHalted(BooleanSupplier source) {
        this.budgetHalted = source;
        return this;
    }
}
