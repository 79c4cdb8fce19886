package io.agenthub.memory;

import io.agenthub.error.HubException;
import java.util.Map;

/**
 * How much shared memory one author may keep: live (not forgotten) entries and the UTF-8 bytes of their content. The
 * store checks it in the same atomic step as the write. 0 means no limit.
 */
public record MemoryQuota(int maxEntries, long maxBytes) {
    public static final MemoryQuota NONE = new MemoryQuota(0, 0);

    public MemoryQuota {
        if (maxEntries < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("quotas are 0 (none) or positive");
        }
    }

    /** Whether {@code entries} live entries of {@code bytes} in all, after a write, are within this quota. */
    public boolean admits(long entries, long bytes) {
        return (maxEntries == 0 || entries <= maxEntries) && (maxBytes == 0 || bytes <= maxBytes);
    }

    /**
     * The refusal a store throws, writing nothing, when the author's live entries would be {@code entries} entries of
     * {@code bytes} bytes with the new one.
     */
    public HubException.Conflict exceeded(String author, long entries, long bytes) {
        boolean count = maxEntries != 0 && entries > maxEntries;
        String quota = count
                ? "memory-quota-entries (" + maxEntries + " entries)"
                : "memory-quota-bytes (" + maxBytes + " bytes of content)";
        return new HubException.Conflict(
                "quota_exceeded",
                "Agent " + author + " is at its memory quota, " + quota + ". Free space by forgetting entries it no"
                        + " longer needs (DELETE /api/memories/{id}, or the memory_forget tool), or ask an admin to"
                        + " raise the quota.",
                Map.of(
                        "quota",
                        count ? "memory-quota-entries" : "memory-quota-bytes",
                        "limit",
                        count ? maxEntries : maxBytes));
    }
}
