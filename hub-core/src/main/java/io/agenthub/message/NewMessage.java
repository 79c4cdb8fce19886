package io.agenthub.message;

import java.time.Instant;
import java.util.List;

/** A message before the store has given it a cursor. Fields as in {@link Message}. */
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
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    /** The inbox owners of this message: the DM or notice recipient and every mentioned agent, without duplicates. */
    public List<String> recipients() {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        if (to != null && !to.isEmpty()) {
            ids.add(to);
        }
        ids.addAll(mentions);
        return List.copyOf(ids);
    }
}
