package io.agenthub.agent;

import io.agenthub.error.HubException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change to an agent's profile with merge semantics (as JSON merge patch): a null field stays as it is, a name of
 * {@code ""} resets the name to the id, capabilities are replaced as a whole, and labels are merged key by key, a label
 * mapped to null being removed.
 *
 * @param name the new name, {@code ""} for the id, or null to keep it
 * @param capabilities the new capabilities, or null to keep them
 * @param labels labels to set (non-null value) or remove (null value); labels not named stay as they are
 * @param maxLabels the most labels the agent may have after the change
 */
public record ProfileChange(String name, List<String> capabilities, Map<String, String> labels, int maxLabels) {
    public ProfileChange {
        capabilities = capabilities == null ? null : List.copyOf(capabilities);
        // Map.copyOf refuses null values, which mean "remove" here.
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** The labels after applying this change to {@code current}. */
    public Map<String, String> mergeLabels(Map<String, String> current) {
        Map<String, String> merged = new LinkedHashMap<>(current);
        labels.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return merged;
    }

    /**
     * Whether a store must refuse the change: the merged labels exceed {@link #maxLabels} and are more than before (an
     * agent over the limit may still remove labels).
     */
    public boolean refuses(Map<String, String> before, Map<String, String> merged) {
        return merged.size() > maxLabels && merged.size() > before.size();
    }

    /** The refusal a store throws, changing nothing, when the merged labels would number {@code count}. */
    public HubException.TooLarge tooManyLabels(int count) {
        return new HubException.TooLarge(
                "The agent would have " + count + " labels; the limit is " + maxLabels
                        + ". Remove labels by sending them as null.",
                Map.of("field", "labels", "limit", maxLabels, "actual", count));
    }
}
