package io.agenthub.message;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A message before the store has given it a cursor. Fields as in {@link Message}: a {@link Message.Kind#CHAT} message
 * has a channel and no recipient; a {@link Message.Kind#DM} or {@link Message.Kind#NOTICE} has a recipient and no
 * channel. Null strings become empty.
 */
public record NewMessage(
        Message.Kind kind,
        String channel,
        String author,
        String to,
        String text,
        String replyTo,
        List<String> mentions,
        Instant createdAt) {
    public NewMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        channel = channel == null ? "" : channel;
        to = to == null ? "" : to;
        replyTo = replyTo == null ? "" : replyTo;
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        if (kind == Message.Kind.CHAT && (channel.isEmpty() || !to.isEmpty())) {
            throw new IllegalArgumentException("a chat message has a channel and no recipient");
        }
        if (kind != Message.Kind.CHAT && (to.isEmpty() || !channel.isEmpty())) {
            throw new IllegalArgumentException("a direct message or notice has a recipient and no channel");
        }
    }

    /** A chat message in {@code channel}. */
    public static NewMessage chat(
            String channel, String author, String text, String replyTo, List<String> mentions, Instant createdAt) {
        return new NewMessage(Message.Kind.CHAT, channel, author, "", text, replyTo, mentions, createdAt);
    }

    /** A direct message ({@link Message.Kind#DM}) or hub notice ({@link Message.Kind#NOTICE}) to one agent. */
    public static NewMessage direct(Message.Kind kind, String author, String to, String text, Instant createdAt) {
        return new NewMessage(kind, "", author, to, text, "", List.of(), createdAt);
    }

    /** The inbox owners of this message: the DM or notice recipient and every mentioned agent, without duplicates. */
    public List<String> recipients() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (!to.isEmpty()) {
            ids.add(to);
        }
        ids.addAll(mentions);
        return List.copyOf(ids);
    }
}
