package io.agenthub.usage;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * When an agent's context is large enough to warn and to transfer. Overrides per agent win over overrides per model
 * (the longest model text contained in the model id), which win over the {@code base} limits. Overrides are written as
 * {@code model=warn/transfer} and {@code agent:ID=warn/transfer} entries separated by commas.
 */
public record ContextPolicy(Limits base, Map<String, Limits> byModel, Map<String, Limits> byAgent) {
    /** The two thresholds, in tokens. */
    public record Limits(long warn, long transfer) {
        public Limits {
            if (warn < 1 || transfer < warn) {
                throw new IllegalArgumentException("need 1 <= warn <= transfer; got " + warn + "/" + transfer);
            }
        }
    }

    public ContextPolicy {
        byModel = Map.copyOf(byModel);
        byAgent = Map.copyOf(byAgent);
    }

    public static ContextPolicy defaults() {
        return new ContextPolicy(new Limits(150_000, 180_000), Map.of(), Map.of());
    }

    /** The defaults and the written overrides; fails with a message naming the bad entry. */
    public static ContextPolicy parse(long warn, long transfer, String overrides) {
        Map<String, Limits> models = new LinkedHashMap<>();
        Map<String, Limits> agents = new LinkedHashMap<>();
        for (String entry : overrides.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.split("=", 2);
            String[] t = kv.length == 2 ? kv[1].split("/") : new String[0];
            if (t.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException(
                        "context limit '" + entry.strip() + "' must be model=warn/transfer or agent:ID=warn/transfer");
            }
            Limits limits;
            try {
                limits = new Limits(Long.parseLong(t[0].strip()), Long.parseLong(t[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context limit '" + entry.strip() + "' needs whole numbers");
            }
            String key = kv[0].strip();
            if (key.startsWith("agent:")) {
                agents.put(key.substring(6), limits);
            } else {
                models.put(key.toLowerCase(Locale.ROOT), limits);
            }
        }
        return new ContextPolicy(new Limits(warn, transfer), models, agents);
    }

    /** The limits for {@code agentId} calling {@code model}. */
    public Limits limitsFor(String agentId, String model) {
        Limits agent = byAgent.get(agentId);
        if (agent != null) {
            return agent;
        }
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        return byModel.entrySet().stream()
                .filter(e -> m.contains(e.getKey()))
                .max(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(String::length)))
                .map(Map.Entry::getValue)
                .orElse(base);
    }
}
