package io.agenthub.message;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message. {@code cursor} is assigned by the store, strictly increasing across all messages of the hub, and is
 * what readers pass back as {@code after=} to continue where they stopped.
 *
 * @param id the public id, {@code "m" + cursor}
 * @param channel the chat channel for {@link Kind#CHAT}; empty for direct messages and notices
 * @param to the recipient of a {@link Kind#DM} or {@link Kind#NOTICE}; empty for chat
 * @param replyTo the id of the message this answers, or empty
 * @param mentions agent ids mentioned with {@code @id}; each gets the message in its inbox
 */
public record Message(
        long cursor,
        String id,
        Kind kind,
        String channel,
        String author,
        String to,
        String text,
        String replyTo,
        List<String> mentions,
        Instant createdAt) {
    /** What a message is. */
    public enum Kind {
        /** Group chat in a channel. */
        CHAT,
        /** A direct message to one agent. */
        DM,
        /** A notice from the hub to one agent (wake-ups, lease reaping, alerts). */
        NOTICE
    }

    public Message {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        channel = channel == null ? "" : channel;
        to = to == null ? "" : to;
        replyTo = replyTo == null ? "" : replyTo;
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    public static String idOf(long cursor) {
        return "m" + cursor;
    }

    /** What holding this message in memory costs, in characters: its strings and a fixed overhead per object. */
    public long footprint() {
        return 64
                + length(text)
                + length(author)
                + length(channel)
                + length(replyTo)
                + length(to)
                + mentions.stream().mapToLong(m -> 16 + m.length()).sum();
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    /**
     * The index of the first message of {@code messages} at or after index {@code from} whose cursor is above {@code
     * after} ({@code messages.size()} if none is), by binary search: the messages from {@code from} on are in cursor
     * order.
     */
    public static int firstAbove(List<Message> messages, int from, long after) {
        int lo = from;
        int hi = messages.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (messages.get(mid).cursor() <= after) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
