package io.agenthub.memory;

/**
 * Memory limits.
 *
 * @param maxContentBytes the largest entry, in UTF-8 bytes
 * @param maxTags how many tags one entry, or one search, may name
 * @param maxTagLength the longest tag, in characters
 * @param defaultLimit how many entries a recall returns when the request names no limit
 * @param maxLimit the most entries one recall may return
 */
public record MemoryPolicy(int maxContentBytes, int maxTags, int maxTagLength, int defaultLimit, int maxLimit) {
    public MemoryPolicy {
        if (maxContentBytes < 1 || maxTags < 0 || maxTagLength < 1) {
            throw new IllegalArgumentException("need maxContentBytes >= 1, maxTags >= 0, maxTagLength >= 1");
        }
        if (defaultLimit < 1 || maxLimit < defaultLimit) {
            throw new IllegalArgumentException("need 1 <= defaultLimit <= maxLimit");
        }
    }

    public static MemoryPolicy defaults() {
        return new MemoryPolicy(8 * 1024, 20, 64, 10, 100);
    }
}
