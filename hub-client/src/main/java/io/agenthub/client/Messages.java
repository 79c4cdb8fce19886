package io.agenthub.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/chat}, {@code /api/dm}, {@code /api/inbox}, {@code /api/channels} and the event stream
 * {@code /api/events}. Every message has a cursor; reads take {@code after} to continue from one.
 */
public final class Messages {
    private final Transport t;

    /** A chat post or a direct message ({@code kind} {@code chat} or {@code dm}). */
    public record Message(
            long cursor,
            String id,
            String kind,
            String channel,
            String author,
            String to,
            String text,
            String replyTo,
            List<String> mentions,
            Instant createdAt) {}

    /** One read: pass {@code nextCursor} as {@code after} to continue, {@code prevCursor} as {@code before} to page back. */
    public record Page(List<Message> messages, long nextCursor, Long prevCursor) {}

    record Post(String channel, String text, String replyTo) {}

    record Dm(String to, String text) {}

    record Ack(long cursor) {}

    record Acked(long acknowledged) {}

    record Channels(List<String> channels) {}

    Messages(Transport t) {
        this.t = t;
    }

    /** Posts to a channel ({@code @agent} mentions reach their inboxes). */
    public Message post(String channel, String text) {
        return post(channel, text, null);
    }

    /** Posts a reply to the message with id {@code replyTo}. */
    public Message post(String channel, String text, String replyTo) {
        return t.post("/api/chat", new Post(channel, text, replyTo), Message.class);
    }

    /** Sends a direct message. */
    public Message dm(String to, String text) {
        return t.post("/api/dm", new Dm(to, text), Message.class);
    }

    /**
     * Reads a channel. {@code after} null reads the newest page ({@code before} pages back); {@code wait} above zero
     * long-polls until something new arrives or the wait ends. Null arguments take the hub's defaults.
     */
    public Page chat(String channel, Long after, Long before, Integer limit, Duration wait) {
        String path = Transport.query(
                "/api/chat", "channel", channel, "after", after, "before", before, "limit", limit, "wait", secs(wait));
        return t.call("GET", path, null, timeout(wait)).as(Page.class);
    }

    /** Reads the caller's inbox (DMs and mentions); {@code after} null reads what is not acknowledged yet. */
    public Page inbox(Long after, Integer limit, Duration wait) {
        String path = Transport.query("/api/inbox", "after", after, "limit", limit, "wait", secs(wait));
        return t.call("GET", path, null, timeout(wait)).as(Page.class);
    }

    /** Marks the inbox read up to {@code cursor}; returns the acknowledged cursor. */
    public long ack(long cursor) {
        return t.post("/api/inbox/ack", new Ack(cursor), Acked.class).acknowledged();
    }

    /** The channels that have messages. */
    public List<String> channels() {
        return t.get("/api/channels", Channels.class).channels();
    }

    /**
     * Every new message of a channel, long-polling {@code wait} at a time (25 s is a good value). {@code after} null
     * starts with what comes next; a cursor resumes after it (from {@link MessageFeed#cursor()} of an earlier feed).
     */
    public MessageFeed chatFeed(String channel, Long after, Duration wait) {
        long start = after != null ? after : chat(channel, null, null, 1, null).nextCursor();
        return new MessageFeed(start, cursor -> chat(channel, cursor, null, null, wait));
    }

    /**
     * Every new inbox message, long-polling {@code wait} at a time. {@code after} null starts with what is not
     * acknowledged yet. The feed does not acknowledge: call {@link #ack(long)} with what you handled.
     */
    public MessageFeed inboxFeed(Long after, Duration wait) {
        if (after == null) {
            Page unread = inbox(null, null, null);
            return new MessageFeed(unread, cursor -> inbox(cursor, null, wait));
        }
        return new MessageFeed(after, cursor -> inbox(cursor, null, wait));
    }

    /**
     * The caller's message feed as server-sent events from {@code /api/events}, connected before this returns.
     * {@code after} null starts with what comes next. After a dropped connection the stream reconnects with {@code Last-Event-ID}, so nothing is missed.
     */
    public EventStream events(Long after) {
        return new EventStream(t, after);
    }

    static String secs(Duration wait) {
        return wait == null || wait.isZero() ? null : Double.toString(wait.toMillis() / 1000.0);
    }

    private Duration timeout(Duration wait) {
        return wait == null ? t.requestTimeout() : t.requestTimeout().plus(wait);
    }
}
