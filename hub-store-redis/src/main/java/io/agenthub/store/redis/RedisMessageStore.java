package io.agenthub.store.redis;

import io.agenthub.message.Message;
import io.agenthub.message.MessageStore;
import io.agenthub.message.NewMessage;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Messages in Redis. Each message is a JSON value in one hash, keyed by its cursor; sorted sets scored by cursor index
 * every message, the chat of all channels, each channel and each inbox. An append takes its cursor from one
 * {@code INCR} and writes the message with every index entry in the same script, and Redis runs scripts one at a time,
 * so a message becomes visible whole and never before one with a lower cursor. Reads are scripts too, so they see the
 * indexes and the bodies at one instant.
 */
final class RedisMessageStore implements MessageStore {
    private static final LuaScript APPEND = LuaScript.load("message-append");
    private static final LuaScript RANGE = LuaScript.load("message-range", "message-lib");
    private static final LuaScript LATEST = LuaScript.load("message-latest", "message-lib");
    private static final LuaScript FEED = LuaScript.load("message-feed", "message-lib");
    private static final LuaScript SINCE = LuaScript.load("message-since", "message-lib");
    private static final LuaScript ACK = LuaScript.load("message-ack");
    private static final LuaScript PURGE = LuaScript.load("message-purge");

    /** The stored form: a message without its cursor, which is the hash field. */
    record Stored(
            String kind,
            String channel,
            String author,
            String to,
            String text,
            String replyTo,
            List<String> mentions,
            long createdAt) {}

    private final RedisLink redis;
    private final RedisKeys keys;

    /** This node's copy of recent channel messages, once the message signal is there to keep it fresh. */
    private volatile RecentChat recent;

    RedisMessageStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * Serves reads of a channel's recent messages from this node's copy, kept fresh by {@code known}: the highest
     * message cursor this node has been told of (see {@link RecentChat}).
     */
    void copyRecentChat(LongSupplier known) {
        recent = new RecentChat(
                new RecentChat.Source() {
                    @Override
                    public List<Message> after(String channel, long after, int limit) {
                        return range(keys.messageChannel(channel), after, limit);
                    }

                    @Override
                    public List<Message> newest(String channel, int limit) {
                        return latest(channel, Long.MAX_VALUE, limit);
                    }
                },
                known,
                System::nanoTime);
    }

    @Override
    public Message append(NewMessage n) {
        long createdAt = n.createdAt().toEpochMilli();
        String json = Json.write(new Stored(
                n.kind().name(), n.channel(), n.author(), n.to(), n.text(), n.replyTo(), n.mentions(), createdAt));
        List<String> args = new ArrayList<>(List.of(keys.messageBase(), json, Long.toString(createdAt), n.channel()));
        args.addAll(n.recipients());
        long cursor = redis.eval(
                APPEND,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys.messageCursor(),
                    keys.messageBodies(),
                    keys.messageAll(),
                    keys.messageCreated(),
                    keys.messageChat(),
                    keys.messageChannels()
                },
                args.toArray(String[]::new));
        RecentChat copy = recent;
        if (copy != null) {
            copy.appended(cursor);
        }
        return message(cursor, json);
    }

    @Override
    public List<Message> channel(String channel, long after, int limit) {
        RecentChat copy = recent;
        if (copy != null) {
            return copy.after(channel, after, limit);
        }
        return range(keys.messageChannel(channel), after, limit);
    }

    @Override
    public List<Message> latest(String channel, long before, int limit) {
        return messages(redis.eval(
                LATEST,
                ScriptOutputType.MULTI,
                new String[] {keys.messageChannel(channel), keys.messageBodies()},
                before == Long.MAX_VALUE ? "+inf" : "(" + before,
                Integer.toString(limit)));
    }

    @Override
    public List<Message> inbox(String agentId, long after, int limit) {
        return range(keys.messageInbox(agentId), after, limit);
    }

    @Override
    public List<Message> chat(long after, int limit) {
        return range(keys.messageChat(), after, limit);
    }

    @Override
    public List<Message> chatAndInbox(String agentId, long after, int limit) {
        return messages(redis.eval(
                FEED,
                ScriptOutputType.MULTI,
                new String[] {keys.messageChat(), keys.messageInbox(agentId), keys.messageBodies()},
                Long.toString(after),
                Integer.toString(limit)));
    }

    @Override
    public List<Message> all(long after, int limit) {
        return range(keys.messageAll(), after, limit);
    }

    @Override
    public List<Message> since(Instant since, int limit) {
        return messages(redis.eval(
                SINCE,
                ScriptOutputType.MULTI,
                new String[] {keys.messageCreated(), keys.messageBodies()},
                Replies.millis(since),
                Integer.toString(limit)));
    }

    @Override
    public Optional<Message> find(String id) {
        long cursor = cursorOf(id);
        if (cursor <= 0) {
            return Optional.empty();
        }
        String json = redis.call("message", c -> c.hget(keys.messageBodies(), Long.toString(cursor)));
        return json == null ? Optional.empty() : Optional.of(message(cursor, json));
    }

    @Override
    public List<String> channels() {
        return redis.call("channels", c -> c.zrange(keys.messageChannels(), 0, -1));
    }

    @Override
    public void acknowledge(String agentId, long cursor) {
        redis.eval(ACK, ScriptOutputType.INTEGER, new String[] {keys.messageAcks()}, agentId, Long.toString(cursor));
    }

    @Override
    public long acknowledged(String agentId) {
        String value = redis.call("acknowledged", c -> c.hget(keys.messageAcks(), agentId));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public long latestCursor() {
        String value = redis.call("latest cursor", c -> c.get(keys.messageCursor()));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public int purge(Instant olderThan, int perChannelCap, int max) {
        List<Object> reply = Replies.list(redis.eval(
                PURGE,
                ScriptOutputType.MULTI,
                new String[] {
                    keys.messageBodies(),
                    keys.messageAll(),
                    keys.messageCreated(),
                    keys.messageChat(),
                    keys.messageChannels()
                },
                keys.messageBase(),
                Replies.millis(olderThan),
                Integer.toString(Math.max(0, perChannelCap)),
                Integer.toString(max)));
        Map<String, Long> highest = new HashMap<>();
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            highest.put(Replies.string(reply.get(i)), Long.parseLong(Replies.string(reply.get(i + 1))));
        }
        RecentChat copy = recent;
        if (copy != null && !highest.isEmpty()) {
            copy.deleted(highest);
        }
        return (int) Replies.number(reply.getFirst());
    }

    private List<Message> range(String index, long after, int limit) {
        return messages(redis.eval(
                RANGE,
                ScriptOutputType.MULTI,
                new String[] {index, keys.messageBodies()},
                Long.toString(after),
                Integer.toString(limit)));
    }

    private static List<Message> messages(Object reply) {
        List<Object> flat = Replies.list(reply);
        List<Message> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(message(Replies.number(flat.get(i)), Replies.string(flat.get(i + 1))));
        }
        return out;
    }

    /** A message from its cursor and stored JSON. */
    private static Message message(long cursor, String json) {
        Stored s = Json.read(json, Stored.class);
        return new Message(
                cursor,
                Message.idOf(cursor),
                Message.Kind.valueOf(s.kind()),
                s.channel(),
                s.author(),
                s.to(),
                s.text(),
                s.replyTo(),
                s.mentions(),
                Instant.ofEpochMilli(s.createdAt()));
    }

    /** The cursor named by a canonical id such as {@code m42}; 0 for anything else. */
    private static long cursorOf(String id) {
        if (id == null || id.length() < 2 || id.length() > 20 || id.charAt(0) != 'm') {
            return 0;
        }
        try {
            long cursor = Long.parseLong(id.substring(1));
            return Message.idOf(cursor).equals(id) ? cursor : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Messages in snapshots: the cursor counter, every message (written back as message-append.lua writes it), inbox
     * entries and acknowledgements. The restored cursor counter continues above the highest cursor of the snapshot.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.Cursor.class,
                    (x, sink) -> sink.accept(
                            new SnapshotRecord.Cursor(x.number(x.keys().messageCursor()))),
                    (w, c) -> w.raise(w.keys().messageCursor(), c.lastCursor()))
            .record(
                    SnapshotRecord.MessageRow.class,
                    (x, sink) -> {
                        x.byNumber(x.keys().messageBodies())
                                .forEach((cursor, json) ->
                                        sink.accept(new SnapshotRecord.MessageRow(message(cursor, json))));
                    },
                    (w, m) -> restoreMessage(w, m.message()))
            .record(
                    SnapshotRecord.InboxRow.class,
                    RedisMessageStore::exportInboxes,
                    (w, i) -> w.zadd(w.keys().messageInbox(i.agentId()), i.cursor(), Long.toString(i.cursor())))
            .record(
                    SnapshotRecord.AckRow.class,
                    (x, sink) -> {
                        TreeMap<String, String> acks = new TreeMap<>(RedisSnapshotPart.BYTES);
                        acks.putAll(x.sync().hgetall(x.keys().messageAcks()));
                        acks.forEach((agent, cursor) ->
                                sink.accept(new SnapshotRecord.AckRow(agent, Long.parseLong(cursor))));
                    },
                    (w, a) -> w.hset(w.keys().messageAcks(), a.agentId(), Long.toString(a.cursor())));

    /** Inbox entries by cursor, then agent; inboxes have no index, so they are found by their key names. */
    private static void exportInboxes(RedisSnapshotExport x, Consumer<SnapshotRecord> sink) {
        RedisKeys keys = x.keys();
        String inboxStart = keys.messageInbox("");
        List<String> agents = x.scan(inboxStart).stream()
                .map(k -> k.substring(inboxStart.length()))
                .toList();
        List<List<String>> cursors = x.pipe().each(agents, (a, agent) -> a.zrange(keys.messageInbox(agent), 0, -1));
        List<SnapshotRecord.InboxRow> inbox = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            for (String cursor : cursors.get(i)) {
                inbox.add(new SnapshotRecord.InboxRow(agents.get(i), Long.parseLong(cursor)));
            }
        }
        inbox.sort(Comparator.comparingLong(SnapshotRecord.InboxRow::cursor)
                .thenComparing(SnapshotRecord.InboxRow::agentId, RedisSnapshotPart.BYTES));
        inbox.forEach(sink);
    }

    /** As message-append.lua; the inbox entries come as their own records. */
    private static void restoreMessage(RedisSnapshotRestore w, Message m) {
        RedisKeys keys = w.keys();
        String id = Long.toString(m.cursor());
        String json = Json.write(new Stored(
                m.kind().name(),
                m.channel(),
                m.author(),
                m.to(),
                m.text(),
                m.replyTo(),
                m.mentions(),
                m.createdAt().toEpochMilli()));
        w.hset(keys.messageBodies(), id, json);
        w.zadd(keys.messageAll(), m.cursor(), id);
        w.zadd(keys.messageCreated(), m.createdAt().toEpochMilli(), id);
        if (!m.channel().isEmpty()) {
            w.zadd(keys.messageChat(), m.cursor(), id);
            w.zadd(keys.messageChannel(m.channel()), m.cursor(), id);
            w.zadd(keys.messageChannels(), 0, m.channel());
        }
        w.raise(keys.messageCursor(), m.cursor());
    }
}
