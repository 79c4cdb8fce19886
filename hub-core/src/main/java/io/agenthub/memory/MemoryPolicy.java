package io.agenthub.memory;

import java.time.Duration;

/**
 * Memory limits.
 *
 * @param maxContentBytes the largest entry, in UTF-8 bytes
 * @param maxTags how many tags one entry, or one search, may name
 * @param maxTagLength the longest tag, in characters
 * @param defaultLimit how many entries a recall returns when the request names no limit
 * @param maxLimit the most entries one recall may return
 * @param decayAfter an entry never recalled and not written for this long is removed by consolidation; zero never
 * @param consolidateBatch how many entries one consolidation pass examines for near duplicates, and removes at most
 */
public record MemoryPolicy(
        int maxContentBytes,
        int maxTags,
        int maxTagLength,
        int defaultLimit,
        int maxLimit,
        Duration decayAfter,
        int consolidateBatch) {
    public MemoryPolicy {
        if (maxContentBytes < 1 || maxTags < 0 || maxTagLength < 1) {
            throw new IllegalArgumentException("need maxContentBytes >= 1, maxTags >= 0, maxTagLength >= 1");
        }
        if (defaultLimit < 1 || maxLimit < defaultLimit) {
            throw new IllegalArgumentException("need 1 <= defaultLimit <= maxLimit");
        }
        if (decayAfter == null || decayAfter.isNegative() || consolidateBatch < 1) {
            throw new IllegalArgumentException("need decayAfter >= 0 and consolidateBatch >= 1");
        }
    }

    public static MemoryPolicy defaults() {
        return new MemoryPolicy(8 * 1024, 20, 64, 10, 100, Duration.ofDays(30), 500);
    }

    /** These limits with another decay age and consolidation batch. */
    public MemoryPolicy withConsolidation(Duration decayAfter, int consolidateBatch) {
        return new MemoryPolicy(
                maxContentBytes, maxTags, maxTagLength, defaultLimit, maxLimit, decayAfter, consolidateBatch);
    }
}
