package io.agenthub.agent;

import io.agenthub.error.HubException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which agent labels are privileged, and which labels each join key fixes. Labels are descriptive (the agent's own:
 * {@code version}, {@code model}, ...) unless a hub policy reads them: the pool (handoff and lease recipients, budget
 * accounting and {@code essential-agents pool:NAME}), the wake URL (the hub POSTs to it) and the key of the tier's core
 * label (core agents keep taking new work in tier 2). An agent that could set those on itself could give itself work,
 * exemptions or make the hub call any URL, so only an admin sets them, or the join key the agent enrolled with.
 *
 * @param privileged label names only an admin (or a join key) may set or remove
 * @param joinKeyLabels per join key label (its name, which survives rotation), the labels an agent enrolling with that
 *     key gets; they override what the agent asks for
 */
public record LabelPolicy(Set<String> privileged, Map<String, Map<String, String>> joinKeyLabels) {
    /** The pool label (handoff.Target's {@code POOL_LABEL}, not imported: handoff depends on this package). */
    public static final String POOL_LABEL = "pool";

    /** The labels every hub policy reads, besides the tier's core label key. */
    public static final Set<String> ALWAYS_PRIVILEGED = Set.of(POOL_LABEL, StallDetector.WAKE_URL_LABEL);

    public LabelPolicy {
        privileged = Set.copyOf(privileged);
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        joinKeyLabels.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        joinKeyLabels = Map.copyOf(copy);
    }

    /** The pool and wake URL labels plus {@code coreKey}; no join key fixes labels. */
    public static LabelPolicy of(String coreKey) {
        Set<String> names = new LinkedHashSet<>(ALWAYS_PRIVILEGED);
        names.add(coreKey);
        return new LabelPolicy(names, Map.of());
    }

    /** This policy with {@code labels} fixed for agents enrolling with the join key labelled {@code joinKey}. */
    public LabelPolicy withJoinKeyLabels(Map<String, Map<String, String>> labels) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(joinKeyLabels);
        all.putAll(labels);
        return new LabelPolicy(privileged, all);
    }

    public boolean isPrivileged(String label) {
        return privileged.contains(label);
    }

    /**
     * Parses {@code KEY:name=value,name=value;KEY2:name=value} (join key label, then the labels it fixes).
     *
     * @throws IllegalArgumentException with a sentence naming the bad part
     */
    public static Map<String, Map<String, String>> parseJoinKeyLabels(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String entry : text.split(";")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + e + "' must be JOINKEYLABEL:name=value,...");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (String pair : e.substring(colon + 1).split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair.strip() + "' must be name=value");
                }
                labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            out.put(e.substring(0, colon).strip(), labels);
        }
        return out;
    }

    /**
     * Refuses a change of privileged labels by a non-admin: {@code change} names labels to set (or remove, as null),
     * {@code current} is what the agent has. Setting a privileged label to the value it already has is no change.
     */
    void checkSelfChange(String agentId, Map<String, String> change, Map<String, String> current) {
        Set<String> refused = new TreeSet<>();
        change.forEach((k, v) -> {
            if (isPrivileged(k) && !java.util.Objects.equals(v, current.get(k))) {
                refused.add(k);
            }
        });
        if (!refused.isEmpty()) {
            throw refusal(agentId, refused);
        }
    }

    /** The labels of an agent enrolling with {@code joinKeyLabel} that asked for {@code asked}. */
    Map<String, String> enrolmentLabels(String agentId, String joinKeyLabel, Map<String, String> asked) {
        Map<String, String> fixed = joinKeyLabels.getOrDefault(joinKeyLabel, Map.of());
        Set<String> refused = new TreeSet<>();
        asked.forEach((k, v) -> {
            if (isPrivileged(k) && !v.equals(fixed.get(k))) {
                refused.add(k);
            }
        });
        if (!refused.isEmpty()) {
            throw refusal(agentId, refused);
        }
        Map<String, String> out = new LinkedHashMap<>(asked);
        out.putAll(fixed);
        return out;
    }

    private static HubException refusal(String agentId, Set<String> labels) {
        return new HubException.Forbidden(
                "privileged_label",
                "The label" + (labels.size() == 1 ? " " : "s ") + String.join(", ", labels)
                        + (labels.size() == 1 ? " is" : " are")
                        + " privileged (hub policies read them): an agent cannot set them on itself. Ask an admin"
                        + " (PATCH /api/agents/" + agentId + " with the admin token), or enrol with a join key that"
                        + " fixes them (the join-key-labels setting).",
                Map.of("labels", java.util.List.copyOf(labels), "id", agentId));
    }
}
