package io.agenthub.checkpoint;

/**
 * Checkpoint limits.
 *
 * @param maxContextBytes the largest {@code context}, in UTF-8 bytes
 * @param maxTextBytes the largest {@code currentTask} or {@code progress}, in UTF-8 bytes
 * @param maxListItems how many items each list may hold
 * @param maxItemBytes the largest list item, in UTF-8 bytes
 * @param keep how many versions per agent are kept; older ones are deleted when a new one is saved
 * @param maxTotalBytes the largest checkpoint, all its text and list items together, in UTF-8 bytes: with {@code keep}
 *     it bounds what one agent's checkpoints occupy
 */
public record CheckpointPolicy(
        int maxContextBytes, int maxTextBytes, int maxListItems, int maxItemBytes, int keep, int maxTotalBytes) {
    public CheckpointPolicy {
        if (maxContextBytes < 1 || maxTextBytes < 1 || maxListItems < 0 || maxItemBytes < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("checkpoint size limits must be positive");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
    }

    public static CheckpointPolicy defaults() {
        return new CheckpointPolicy(64 * 1024, 8 * 1024, 100, 2 * 1024, 20, 256 * 1024);
    }

    /** These limits with another number of versions kept per agent. */
    public CheckpointPolicy withKeep(int keep) {
        return new CheckpointPolicy(maxContextBytes, maxTextBytes, maxListItems, maxItemBytes, keep, maxTotalBytes);
    }

    /** These limits with another largest checkpoint. */
    public CheckpointPolicy withMaxTotalBytes(int maxTotalBytes) {
        return new CheckpointPolicy(maxContextBytes, maxTextBytes, maxListItems, maxItemBytes, keep, maxTotalBytes);
    }
}
