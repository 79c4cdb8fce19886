package io.agenthub.message;

import io.agenthub.auth.Principal;
import io.agenthub.deadline.RequestDeadline;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.lifecycle.Activity;
import io.agenthub.text.AgentText;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group chat, direct messages, hub notices, and reads that can wait for what comes next. The store assigns cursors and
 * fans messages out to inboxes; this service owns policy: who may write, names and sizes, mentions, and long-polls.
 * Every write publishes its cursor to the {@link MessageSignal} so that waiting readers on every node look again.
 */
public final class MessageService {
    /** The channel that is always listed, even before anyone posts in it. */
    public static final String GENERAL = "general";
    /** The author of notices and announcements that the hub itself writes. */
    public static final String HUB = "hub";

    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    // An agent id (see Require.id) after an '@' that does not continue a word or an e-mail address.
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9._@-])@([A-Za-z0-9][A-Za-z0-9._@-]{0,63})");
    // Bounds the existence look-ups (and inbox fan-out) that one message can cause.
    private static final int MAX_MENTIONS = 64;
    private static final int CONVERSATION_PAGES = 4;

    private final MessageStore store;
    private final MessageSignal signal;
    private final MessagePolicy policy;
    private final Predicate<String> agentExists;
    private final InstantSource clock;
    private final Activity activity;
    private final AgentText cleaner;
    private final MessageEvents events;
    /** Channels known to hold messages, so that a post in one costs no channel listing; cleared by {@link #purge}. */
    private final Set<String> knownChannels = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile int channelQuota;

    /**
     * One page of a read, oldest message first.
     *
     * @param nextCursor the cursor to pass as {@code after} next time: the last returned cursor, or where the read
     *     stood when nothing was returned; never lower than {@code after}
     * @param prevCursor the cursor to pass as {@code before} to read the page of older messages, or null when there are
     *     none (the page reaches the oldest retained message) or the read does not page back
     */
    public record Page(List<Message> messages, long nextCursor, Long prevCursor) {
        public Page {
            messages = List.copyOf(messages);
        }

        /** A page that does not page back. */
        public Page(List<Message> messages, long nextCursor) {
            this(messages, nextCursor, null);
        }
    }

    /**
     * @param agentExists whether an agent with this id is registered; DMs need an existing recipient, and only
     *     existing agents are recorded as mentioned
     */
    public MessageService(
            MessageStore store,
            MessageSignal signal,
            MessagePolicy policy,
            Predicate<String> agentExists,
            InstantSource clock) {
        this(store, signal, policy, agentExists, clock, Activity.NONE);
    }

    /** @param activity told when an agent posts or sends a direct message (progress) */
    public MessageService(
            MessageStore store,
            MessageSignal signal,
            MessagePolicy policy,
            Predicate<String> agentExists,
            InstantSource clock,
            Activity activity) {
        this(store, signal, policy, agentExists, clock, activity, AgentText.PLAIN, MessageEvents.NONE);
    }

    /**
     * @param cleaner cleans every message text before it is stored (see {@link AgentText})
     * @param events told of every stored message after the store's atomic append (metrics, trails)
     */
    public MessageService(
            MessageStore store,
            MessageSignal signal,
            MessagePolicy policy,
            Predicate<String> agentExists,
            InstantSource clock,
            Activity activity,
            AgentText cleaner,
            MessageEvents events) {
        this.events = events;
        this.cleaner = cleaner;
        this.store = store;
        this.signal = signal;
        this.policy = policy;
        this.agentExists = agentExists;
        this.clock = clock;
        this.activity = activity;
    }

    public MessagePolicy policy() {
        return policy;
    }

    /**
     * Posts to a channel as the caller, creating the channel by use. {@code @agent-id} mentions of existing agents
     * other than the caller put the message in their inboxes too.
     *
     * @param replyTo the id of a retained message this answers, or null/empty
     */
    public Message post(Principal caller, String channel, String text, String replyTo) {
        caller.requireWriter();
        String name = channel(channel);
        String body = text(text);
        String reply = replyTo(replyTo);
        String author = author(caller);
        admitChannel(caller, author, name);
        Message posted = publish(NewMessage.chat(name, author, body, reply, mentions(body, author), clock.instant()));
        activity.progressed(author);
        return posted;
    }

    /** Sends a direct message from the caller to the agent {@code to}, which must exist. */
    public Message dm(Principal caller, String to, String text) {
        caller.requireWriter();
        String recipient = Require.id("to", to);
        String body = text(text);
        if (!agentExists.test(recipient)) {
            throw new HubException.NotFound(
                    "No agent named " + recipient + "; check the id in the agent list and send again.");
        }
        Message sent = publish(NewMessage.direct(Message.Kind.DM, author(caller), recipient, body, clock.instant()));
        activity.progressed(author(caller));
        return sent;
    }

    /**
     * A notice from the hub to one agent's inbox (wake-ups, reaped leases, alerts). The recipient is not checked: the
     * hub may notify an agent that is being removed.
     */
    public Message notice(String to, String text) {
        String recipient = Require.id("to", to);
        return publish(NewMessage.direct(Message.Kind.NOTICE, HUB, recipient, text(text), clock.instant()));
    }

    /** A hub system post in a channel; mentions reach inboxes as in {@link #post}. */
    public Message announce(String channel, String text) {
        String name = channel(channel);
        String body = text(text);
        return publish(NewMessage.chat(name, HUB, body, "", mentions(body, HUB), clock.instant()));
    }

    /**
     * Chat messages of {@code channel} after the cursor {@code after}, oldest first. If there are none and
     * {@code wait} is positive, waits up to {@code wait} for one to arrive.
     */
    public Page read(String channel, long after, int limit, Duration wait) {
        String name = channel(channel);
        return poll(
                after, limit, wait, Set.of(MessageTopics.channel(name)), (from, max) -> store.channel(name, from, max));
    }

    /**
     * A read of a channel as {@code GET /api/chat} and the MCP tool {@code chat_read} do it, starting from now: with
     * {@code after}, the messages after it, waiting as {@link #read} does; with {@code before}, the page of messages
     * just before it; with neither, the newest page, and if the channel is empty and {@code wait} is positive, the
     * first message to arrive. Every page is oldest first; {@link Page#prevCursor()} says how to page back.
     *
     * @param channel the channel, {@value #GENERAL} if null or empty
     */
    public Page readChat(String channel, Long after, Long before, int limit, Duration wait) {
        String name = channel == null || channel.isEmpty() ? GENERAL : channel(channel);
        if (after != null && before != null) {
            throw new HubException.InvalidRequest(
                    "Pass after (to read newer messages) or before (to read older ones), not both.",
                    Map.of("field", "before"));
        }
        if (after != null) {
            Page page = read(name, after, limit, wait);
            List<Message> found = page.messages();
            return new Page(
                    found,
                    page.nextCursor(),
                    found.isEmpty() ? null : found.getFirst().cursor());
        }
        long nanos = checkPage(0, limit, wait);
        if (before != null) {
            Require.range("before", before, 1, Long.MAX_VALUE);
            if (nanos > 0) {
                throw new HubException.InvalidRequest(
                        "wait works only when reading forward (after); drop wait when paging back with before.",
                        Map.of("field", "wait"));
            }
            List<Message> found = store.latest(name, before, limit);
            return backwards(
                    found, limit, found.isEmpty() ? before - 1 : found.getLast().cursor());
        }
        // Taken before the read: whatever arrives after the read has a higher cursor, so a wait from here misses
        // nothing.
        long now = store.latestCursor();
        List<Message> found = store.latest(name, Long.MAX_VALUE, limit);
        if (found.isEmpty() && nanos > 0) {
            return read(name, now, limit, wait);
        }
        return backwards(found, limit, found.isEmpty() ? now : found.getLast().cursor());
    }

    /** A page read backwards: a full page may have older messages before it, a short one has none. */
    private static Page backwards(List<Message> found, int limit, long next) {
        return new Page(found, next, found.size() == limit ? found.getFirst().cursor() : null);
    }

    /** The newest {@code limit} chat messages of {@code channel}, oldest first: where a newcomer starts reading. */
    public List<Message> recent(String channel, int limit) {
        String name = channel(channel);
        Require.range("limit", limit, 1, policy.maxLimit());
        return store.latest(name, Long.MAX_VALUE, limit);
    }

    /**
     * The caller's inbox (DMs, notices, mentions) after {@code after}, waiting as {@link #read} does. Reading from
     * {@code after} acknowledges everything up to it: the durable cursor from which {@link #unread} and the hot-start
     * continue.
     */
    public Page inbox(Principal caller, long after, int limit, Duration wait) {
        String id = caller.id();
        checkPage(after, limit, wait);
        if (after > 0 && caller.role().canWrite()) {
            // Never beyond the newest cursor: acknowledging a cursor from the future would hide messages not yet sent.
            store.acknowledge(id, Math.min(after, store.latestCursor()));
        }
        return poll(after, limit, wait, Set.of(MessageTopics.inbox(id)), (from, max) -> store.inbox(id, from, max));
    }

    /**
     * The newest {@code limit} chat messages of {@code channel} that agents and people wrote, oldest first: hub notices
     * (author {@value #HUB}) are left out, so that a restart prompt shows the conversation. Reads back at most
     * {@value #CONVERSATION_PAGES} pages, so a channel full of notices costs a bounded read and may give fewer.
     */
    public List<Message> conversation(String channel, int limit) {
        String name = channel(channel);
        Require.range("limit", limit, 1, policy.maxLimit());
        int page = Math.min(policy.maxLimit(), 2 * limit);
        List<Message> newestFirst = new ArrayList<>(limit);
        long before = Long.MAX_VALUE;
        for (int i = 0; i < CONVERSATION_PAGES && newestFirst.size() < limit; i++) {
            List<Message> found = store.latest(name, before, page);
            for (int j = found.size() - 1; j >= 0 && newestFirst.size() < limit; j--) {
                if (!found.get(j).author().equals(HUB)) {
                    newestFirst.add(found.get(j));
                }
            }
            if (found.size() < page) {
                break;
            }
            before = found.getFirst().cursor();
        }
        return List.copyOf(newestFirst.reversed());
    }

    /**
     * The caller's inbox as {@code GET /api/inbox} and the MCP tool {@code inbox_read} read it: with {@code after} as
     * {@link #inbox}; without, what the caller has not acknowledged yet (acknowledging nothing), waiting as
     * {@link #read} does if there is none.
     */
    public Page readInbox(Principal caller, Long after, int limit, Duration wait) {
        if (after != null) {
            return inbox(caller, after, limit, wait);
        }
        long from = store.acknowledged(caller.id());
        checkPage(from, limit, wait);
        return poll(
                from,
                limit,
                wait,
                Set.of(MessageTopics.inbox(caller.id())),
                (f, max) -> store.inbox(caller.id(), f, max));
    }

    /** Explicitly acknowledges the caller's inbox up to {@code cursor}. */
    public long acknowledge(Principal caller, long cursor) {
        caller.requireWriter();
        Require.range("cursor", cursor, 0, store.latestCursor());
        store.acknowledge(caller.id(), cursor);
        return store.acknowledged(caller.id());
    }

    /** Inbox messages of {@code agentId} after its acknowledged cursor, oldest first, at most {@code limit}. */
    public Page unread(String agentId, int limit) {
        long from = store.acknowledged(agentId);
        List<Message> found = store.inbox(agentId, from, limit);
        return new Page(found, found.isEmpty() ? from : found.getLast().cursor());
    }

    /**
     * What the caller's event stream shows after {@code after}, waiting as {@link #read} does: for an agent its inbox
     * and the chat of every channel; for an admin every message; for a viewer the chat of every channel, without
     * direct messages or notices.
     */
    public Page feed(Principal caller, long after, int limit, Duration wait) {
        String id = caller.id();
        return switch (caller.role()) {
            case ADMIN -> poll(after, limit, wait, null, store::all);
            case VIEWER -> poll(after, limit, wait, Set.of(MessageTopics.CHAT), store::chat);
            case AGENT ->
                poll(
                        after,
                        limit,
                        wait,
                        Set.of(MessageTopics.CHAT, MessageTopics.inbox(id)),
                        (from, max) -> store.chatAndInbox(id, from, max));
        };
    }

    /** Channel names in use, with {@value #GENERAL} always among them, sorted. */
    public List<String> channels() {
        Set<String> names = new TreeSet<>(store.channels());
        names.add(GENERAL);
        return List.copyOf(names);
    }

    /** The highest cursor handed out so far: where a reader that wants only what comes next starts. */
    public long latestCursor() {
        return store.latestCursor();
    }

    /**
     * Sets the channel quota: how many channels that still hold messages one agent may have opened (posted in first);
     * 0 for none. Checked when an agent posts in a channel that holds no messages yet, by reading the first retained
     * message of each channel (so the check costs a channel listing only when a channel is new). Not atomic with the
     * post: agents opening channels at the same instant may pass it together.
     */
    public MessageService channelQuota(int quota) {
        this.channelQuota = Math.max(0, quota);
        return this;
    }

    private void admitChannel(Principal caller, String author, String name) {
        int quota = channelQuota;
        if (quota == 0 || caller.isAdmin() || name.equals(GENERAL) || knownChannels.contains(name)) {
            return;
        }
        List<String> existing = store.channels();
        if (existing.contains(name)) {
            if (knownChannels.size() > 10_000) {
                knownChannels.clear();
            }
            knownChannels.add(name);
            return;
        }
        long opened = existing.stream()
                .filter(c -> !c.equals(GENERAL))
                .filter(c ->
                        store.channel(c, 0, 1).stream().anyMatch(m -> m.author().equals(author)))
                .count();
        if (opened >= quota) {
            throw HubException.Conflict.quotaExceeded(
                    "channel-quota",
                    quota,
                    "Agent " + author + " is at its channel quota, channel-quota (" + quota + " channels it opened"
                            + " that still hold messages). Free space by posting in an existing channel (GET"
                            + " /api/channels lists them) instead of opening " + name + "; a channel goes away when"
                            + " its messages age out (message-retention), or ask an admin to raise the quota.");
        }
    }

    /** Applies the retention policy (age and per-channel cap); returns how many messages were deleted. */
    public int purge() {
        knownChannels.clear();
        return store.purge(clock.instant().minus(policy.retention()), policy.perChannelCap());
    }

    private Message publish(NewMessage message) {
        Message stored = store.append(message);
        events.stored(stored);
        signal.publish(stored.cursor(), MessageTopics.of(message));
        return stored;
    }

    @FunctionalInterface
    private interface Query {
        List<Message> read(long after, int limit);
    }

    /**
     * Reads; while nothing is there and time is left, waits on the signal and reads again. The deadline is measured
     * with {@link System#nanoTime()}, not the injected clock: it bounds real waiting, not domain time.
     */
    private Page poll(long after, int limit, Duration wait, Set<String> topics, Query query) {
        long deadline = System.nanoTime() + checkPage(after, limit, wait);
        // The highest cursor of the poll's topics it knows of: it is woken only by messages that it could read (or by
        // an announcement to everyone), and after one that its read did not return it waits for cursors beyond it.
        long seen = after;
        while (true) {
            List<Message> found = query.read(after, limit);
            long remaining = deadline - System.nanoTime();
            if (!found.isEmpty() || remaining <= 0) {
                return new Page(found, found.isEmpty() ? after : found.getLast().cursor());
            }
            try {
                seen = Math.max(seen, signal.await(seen, topics, Duration.ofNanos(remaining)));
                // The wait is the caller's choice: the reads after it get the request's whole store budget again.
                RequestDeadline.renew();
            } catch (InterruptedException e) {
                // The caller is going away (e.g. its client disconnected); keep the flag so that its loop ends too.
                Thread.currentThread().interrupt();
                return new Page(List.of(), after);
            }
        }
    }

    /** Validates a read's paging; returns the wait in nanoseconds. */
    private long checkPage(long after, int limit, Duration wait) {
        Require.range("after", after, 0, Long.MAX_VALUE);
        Require.range("limit", limit, 1, policy.maxLimit());
        return waitNanos(wait);
    }

    private long waitNanos(Duration wait) {
        if (wait == null) {
            return 0;
        }
        if (wait.isNegative() || wait.compareTo(policy.maxWait()) > 0) {
            throw new HubException.InvalidRequest(
                    "wait must be between 0 and " + seconds(policy.maxWait()) + " seconds; got " + seconds(wait) + ".",
                    Map.of("field", "wait", "min", 0, "max", seconds(policy.maxWait())));
        }
        return wait.toNanos();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1000.0);
    }

    private static String channel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new HubException.InvalidRequest(
                    "channel must be 1-64 characters of lower-case letters, digits, '_' or '-', starting with a"
                            + " letter or digit, e.g. '" + GENERAL + "'.",
                    Map.of("field", "channel"));
        }
        return channel;
    }

    private String text(String text) {
        return Require.text("text", cleaner.clean(text), policy.maxTextChars());
    }

    private String replyTo(String replyTo) {
        if (replyTo == null || replyTo.isEmpty()) {
            return "";
        }
        String id = Require.text("replyTo", replyTo, 32);
        if (store.find(id).isEmpty()) {
            throw new HubException.NotFound("No message " + id + " to reply to; it may have been purged. Post"
                    + " without replyTo, or quote what you answer.");
        }
        return id;
    }

    private static String author(Principal caller) {
        return caller.isAdmin() ? Principal.ADMIN_ID : caller.id();
    }

    /** Existing agents mentioned as {@code @id}, in order of first mention, without duplicates or the author. */
    private List<String> mentions(String text, String author) {
        Set<String> candidates = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find() && candidates.size() < MAX_MENTIONS) {
            candidates.add(m.group(1));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String candidate : candidates) {
            String id = existing(candidate);
            if (id != null && !id.equals(author)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** The agent a mention names: the id as written, or without the dots that end a sentence ("thanks @bob."). */
    private String existing(String candidate) {
        if (agentExists.test(candidate)) {
            return candidate;
        }
        String trimmed = candidate.replaceAll("\\.+$", "");
        return !trimmed.isEmpty() && !trimmed.equals(candidate) && agentExists.test(trimmed) ? trimmed : null;
    }
}
