package io.agenthub.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Storage SPI for transcript cursors: per agent and session, how far the session's transcript has been counted into
 * usage (see {@link TranscriptCursor}). Hooks that read a transcript keep their place here, so that they hold no state
 * between calls and any hub node can serve the next one. Time is passed in; the store keeps no clock.
 */
public interface TranscriptCursorStore {
    /**
     * How long after a restore a cursor restored from a snapshot is kept where the backend sets an expiry when it is
     * written (a snapshot records when a cursor moved, not the retention its caller asked for): the retention the
     * Claude Code hooks use.
     */
    Duration RESTORED_KEEP = Duration.ofDays(30);

    /** The cursor of {@code agentId}'s session {@code sessionId}, if one was stored and not purged. */
    Optional<TranscriptCursor> find(String agentId, String sessionId);

    /**
     * Moves the cursor of {@code agentId}'s session from {@code expected} to {@code next}, only if it is still
     * {@code expected} ({@link TranscriptCursor#START} or absent counting as the same): an atomic compare-and-set, so
     * that of concurrent callers that read the same part of a transcript exactly one counts it. Cursors not moved for
     * {@code keep} before {@code now} are removed (at the latest by a later call; never while younger).
     *
     * @return true if the cursor moved; false if another caller moved it first
     */
    boolean advance(
            String agentId,
            String sessionId,
            TranscriptCursor expected,
            TranscriptCursor next,
            Instant now,
            Duration keep);
}
