package io.agenthub.handoff;

import io.agenthub.agent.Agent;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Who may accept a handoff: one named agent, any agent of a pool (its {@value #POOL_LABEL} label), any agent with a
 * capability (the guide's "anyone with role X", so {@code role:NAME} is accepted as the same target), or any agent at
 * all. Written as an agent id or {@code agent:ID}, {@code pool:NAME}, {@code capability:NAME} or {@code role:NAME},
 * or {@code any}; see {@link #FORMS}.
 */
public record Target(Kind kind, String value) {
    /** The written forms {@link #parse} accepts, in words: for error sentences and tool descriptions. */
    public static final String FORMS =
            "an agent id (or agent:ID), pool:NAME, capability:NAME (role:NAME is the same) or any";

    /** The agent label that names its pool. */
    public static final String POOL_LABEL = "pool";

    /** The kinds of target. */
    public enum Kind {
        AGENT,
        POOL,
        CAPABILITY,
        ANY
    }

    public Target {
        Objects.requireNonNull(kind, "kind");
        value = value == null ? "" : value;
        if ((kind == Kind.ANY) != value.isEmpty()) {
            throw new IllegalArgumentException("only the 'any' target has no value");
        }
    }

    public static Target agent(String id) {
        return new Target(Kind.AGENT, id);
    }

    public static Target pool(String pool) {
        return new Target(Kind.POOL, pool);
    }

    public static Target any() {
        return new Target(Kind.ANY, "");
    }

    /** The pool of {@code agent}, or {@link #any()} if it has none. */
    public static Target poolOf(Agent agent) {
        String pool = agent.labels().get(POOL_LABEL);
        return pool == null || pool.isBlank() ? any() : pool(pool);
    }

    /** Parses the written form; fails with {@link HubException.InvalidRequest}. */
    public static Target parse(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("any")) {
            return any();
        }
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon < 0) {
            return agent(Require.id("to", t));
        }
        String prefix = t.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = Require.id("to", t.substring(colon + 1));
        return switch (prefix) {
            case "agent" -> agent(value);
            case "pool" -> pool(value);
            case "capability", "role" -> new Target(Kind.CAPABILITY, value);
            default ->
                throw new HubException.InvalidRequest(
                        "to must be " + FORMS + "; got '" + t + "'.", Map.of("field", "to"));
        };
    }

    /** Whether {@code agent} may accept a handoff addressed to this target. */
    public boolean admits(Agent agent) {
        return switch (kind) {
            case AGENT -> agent.id().equals(value);
            case POOL -> value.equals(agent.labels().get(POOL_LABEL));
            case CAPABILITY -> agent.capabilities().contains(value);
            case ANY -> true;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.ANY ? "any" : kind.name().toLowerCase(Locale.ROOT) + ":" + value;
    }
}
