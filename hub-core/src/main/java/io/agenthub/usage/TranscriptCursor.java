package io.agenthub.usage;

import io.agenthub.error.Require;

/**
 * How far a session transcript (a Claude Code JSON-lines file) has been counted into usage: the byte offset after the
 * last complete line read, and the id of the last model message counted, so that a message whose lines straddle two
 * reads is counted once.
 *
 * @param offset bytes of the transcript already read, at least 0
 * @param lastMessageId the id of the last model message counted; empty if none
 */
public record TranscriptCursor(long offset, String lastMessageId) {
    /** Nothing read yet. */
    public static final TranscriptCursor START = new TranscriptCursor(0, "");

    public TranscriptCursor {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be at least 0");
        }
        lastMessageId = Require.optional("lastMessageId", lastMessageId, 200);
    }
}
