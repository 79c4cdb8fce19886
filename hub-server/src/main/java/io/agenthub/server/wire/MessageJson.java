package io.agenthub.server.wire;

import io.agenthub.message.Message;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonGeneratorBase;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a message from its JSON text cached after the first time. A message never changes once posted, and every
 * follower of a channel reads the same ones: at 1,000 agents reading a busy channel, serializing the same messages
 * over and over was a tenth of the hub's CPU. The text is what {@code plain} (the same mapper without this serializer)
 * writes, so the output is byte for byte what it was.
 *
 * <p>The cache is a fixed table of {@value #SLOTS} entries indexed by cursor, holding only messages whose JSON is at
 * most {@value #MAX_CHARS} characters (longer ones are serialized each time they are written), so it holds a few MB
 * whatever agents post: the newest messages of the busy channels, which is what followers read. An entry is used only
 * for a message equal to the one it was made from (a reused cursor, as in a fresh store, misses). Entries are
 * immutable; two threads filling the same slot at once both write correct output and one entry stays.
 */
final class MessageJson extends StdSerializer<Message> {
    private static final int BITS = 13;
    static final int SLOTS = 1 << BITS;
    /** Longest JSON kept: with UTF-16 text and its UTF-8 bytes, at most about 5 KB an entry, 40 MB the table. */
    static final int MAX_CHARS = 1_024;

    private record Entry(Message message, SerializableString json) {}

    private final ObjectMapper plain;
    private final Entry[] table = new Entry[SLOTS];

    MessageJson(ObjectMapper plain) {
        super(Message.class);
        this.plain = plain;
    }

    @Override
    public void serialize(Message m, JsonGenerator g, SerializationContext ctxt) {
        if (!(g instanceof JsonGeneratorBase) || g.getPrettyPrinter() != null) {
            // A tree, a token buffer or a pretty document wants the fields themselves, not one raw value.
            plain.writeValue(g, m);
            return;
        }
        g.writeRawValue(json(m));
    }

    /** The message's JSON, from the table if an equal message was written lately. */
    SerializableString json(Message m) {
        int slot = (int) ((m.cursor() * 0x9E3779B97F4A7C15L) >>> (64 - BITS));
        Entry e = table[slot];
        if (e != null && e.message() == m) {
            return e.json();
        }
        if (e != null && e.message().equals(m)) {
            // The same message as another instance (the post's reply, then the copy every follower reads): keep the
            // latter, so that the next reads match by identity instead of comparing every field again.
            table[slot] = new Entry(m, e.json());
            return e.json();
        }
        SerializedString json = new SerializedString(plain.writeValueAsString(m));
        if (json.charLength() > MAX_CHARS) {
            return json; // written, not kept
        }
        e = new Entry(m, json);
        table[slot] = e;
        return e.json();
    }
}
