package io.agenthub.checkpoint;

/**
 * Checkpoint limits.
 *
 * @param maxContextBytes the largest {@code context}, in UTF-8 bytes
 * @param maxTextBytes the largest {@code currentTask} or {@code progress}, in UTF-8 bytes
 * @param maxListItems how many items each list may hold
 * @param maxItemBytes the largest list item, in UTF-8 bytes
 * @param keep how many versions per agent are kept; older ones are deleted when a new one is saved
 */
public record CheckpointPolicy(int maxContextBytes, int maxTextBytes, int maxListItems, int maxItemBytes, int keep) {
    public CheckpointPolicy {
        if (maxContextBytes < 1 || maxTextBytes < 1 || maxListItems < 0 || maxItemBytes < 1) {
            throw new IllegalArgumentException("checkpoint size limits must be positive");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
    }

    public static CheckpointPolicy defaults() {
        return new CheckpointPolicy(64 * 1024, 8 * 1024, 100, 2 * 1024, 20);
    }

    /** These limits with another number of versions kept per agent. */
    public CheckpointPolicy withKeep(int keep) {
        return new CheckpointPolicy(maxContextBytes, maxTextBytes, maxListItems, maxItemBytes, keep);
    }
}
