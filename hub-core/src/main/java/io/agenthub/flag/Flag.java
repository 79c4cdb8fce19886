package io.agenthub.flag;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One feature flag. Values are {@link Boolean}, {@link String} or {@link Double} according to {@code type}.
 *
 * @param enabled when false every agent gets the default (reason {@code DISABLED})
 * @param rules tried in order; the first that matches gives its value
 */
public record Flag(
        String key,
        Type type,
        Object defaultValue,
        List<Rule> rules,
        boolean enabled,
        String description,
        String updatedBy,
        Instant updatedAt) {
    /** The type of a flag's values. */
    public enum Type {
        BOOLEAN,
        STRING,
        NUMBER;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * A targeting rule: it matches an agent when each condition that is set holds (an empty list or a null percent is
     * no condition).
     *
     * @param agents agent ids
     * @param pools pools (agents' label {@code pool})
     * @param versions versions (agents' label {@code version})
     * @param percent the share of agents, 0 to 100, chosen by a hash of the agent id and the flag key (stable)
     */
    public record Rule(List<String> agents, List<String> pools, List<String> versions, Integer percent, Object value) {
        public Rule {
            agents = agents == null ? List.of() : List.copyOf(agents);
            pools = pools == null ? List.of() : List.copyOf(pools);
            versions = versions == null ? List.of() : List.copyOf(versions);
        }
    }

    public Flag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        rules = rules == null ? List.of() : List.copyOf(rules);
        description = description == null ? "" : description;
        updatedBy = updatedBy == null ? "" : updatedBy;
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
