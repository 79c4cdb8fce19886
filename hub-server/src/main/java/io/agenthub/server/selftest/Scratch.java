package io.agenthub.server.selftest;

import io.agenthub.agent.AgentService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.auth.Secrets;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.ops.OpsTasks;
import io.agenthub.server.services.Services;
import io.agenthub.store.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One check's world: the hub's services built on a scratch namespace of the hub's own backend, with their own clock,
 * admin token and metrics. Agents are registered by the scratch admin and act through tokens that the real
 * authentication path accepts. Closing it deletes the namespace.
 */
public final class Scratch implements AutoCloseable {
    /** The services, exactly as the hub builds them. */
    public final Services hub;

    public final ScratchClock clock;
    public final Principal admin;
    public final OpsTasks ops;
    private final Stores stores;
    private final Map<String, String> tokens = new HashMap<>();
    private final String adminToken;

    public Scratch(Stores stores, HubConfig config, Instant start) {
        this.stores = stores;
        this.clock = new ScratchClock(start);
        this.adminToken = Secrets.generate("aha_");
        Services built = null;
        try {
            built = new Services(stores, config, clock, adminToken, new HubMetrics(false), List.of());
            // The synthetic agents' audit events stay in the scratch store, out of the real server log.
            built.audit.quiet();
        } finally {
            if (built == null) {
                stores.close();
            }
        }
        this.hub = built;
        this.admin = hub.auth.authenticate(adminToken);
        this.ops = hub.opsTasks(config);
    }

    /** Registers an agent and returns the principal its token authenticates as. */
    public Principal agent(String id) {
        return agent(id, Map.of());
    }

    public Principal agent(String id, Map<String, String> labels) {
        return register(id, Role.AGENT, labels);
    }

    /** Registers a read-only viewer. */
    public Principal viewer(String id) {
        return register(id, Role.VIEWER, Map.of());
    }

    private Principal register(String id, Role role, Map<String, String> labels) {
        AgentService.Registered r =
                hub.agents.register(admin, id, role, new AgentService.Profile(id, List.of(), labels));
        tokens.put(id, r.token());
        return hub.auth.authenticate(r.token());
    }

    /** The scratch hub's configured admin token. */
    public String adminToken() {
        return adminToken;
    }

    /** The token the agent was registered with. */
    public String token(String id) {
        return tokens.get(id);
    }

    /** Moves this scratch hub's time forward. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    /** The stores under the services (for checks of the storage contract itself). */
    public Stores stores() {
        return stores;
    }

    @Override
    public void close() {
        try {
            hub.metrics.close();
        } finally {
            stores.close();
        }
    }
}
