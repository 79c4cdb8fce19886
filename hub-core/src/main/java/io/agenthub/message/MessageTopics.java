package io.agenthub.message;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Whom a new message concerns, as topics of the {@link MessageSignal}: a chat message its channel ({@code c:<name>})
 * and {@value #CHAT}, every message each inbox it reaches ({@code a:<agent>}). A waiting read names the topics it
 * reads, so that a message wakes only the reads it could answer: a long-polling inbox is not woken by a channel's chat.
 */
public final class MessageTopics {
    /** Every chat message, whatever its channel. */
    public static final String CHAT = "chat";

    private MessageTopics() {}

    /** The topic of a channel's chat. */
    public static String channel(String name) {
        return "c:" + name;
    }

    /** The topic of one agent's inbox (direct messages, notices, mentions). */
    public static String inbox(String agentId) {
        return "a:" + agentId;
    }

    /** The topics of a message. */
    public static Set<String> of(NewMessage m) {
        Set<String> out = new LinkedHashSet<>();
        if (!m.channel().isEmpty()) {
            out.add(CHAT);
            out.add(channel(m.channel()));
        }
        for (String r : m.recipients()) {
            out.add(inbox(r));
        }
        return out;
    }
}
