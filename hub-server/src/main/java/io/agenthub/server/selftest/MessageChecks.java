package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.message.Message;
import io.agenthub.message.MessageService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Group chat, mentions, direct messages, inboxes, long-polls, the event feed and retention. */
final class MessageChecks {
    private MessageChecks() {}

    static List<Check> all() {
        return List.of(
                of("chat-post-read", "messages", "a chat post is read back after a cursor", s -> {
                    Principal a = s.agent("a1");
                    long before = s.hub.messages.latestCursor();
                    Message m = s.hub.messages.post(a, "dev", "build is green", null);
                    MessageService.Page page = s.hub.messages.read("dev", before, 10, null);
                    equal(page.messages().size(), 1, "messages read");
                    equal(page.messages().getFirst().text(), "build is green", "the text");
                    equal(page.nextCursor(), m.cursor(), "the next cursor");
                    return "posted " + m.id() + " to #dev and read it back";
                }),
                of("chat-mention-inbox", "messages", "a mention reaches the mentioned agent's inbox only", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Principal c = s.agent("c1");
                    Message m = s.hub.messages.post(a, "general", "@b1 please review", null);
                    equal(m.mentions(), List.of("b1"), "mentions");
                    equal(s.hub.messages.inbox(b, 0, 10, null).messages().size(), 1, "b1's inbox");
                    equal(s.hub.messages.inbox(c, 0, 10, null).messages().size(), 0, "c1's inbox");
                    return "@b1 reached b1's inbox and nobody else's";
                }),
                of("dm-delivery", "messages", "a direct message reaches its recipient only", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Principal c = s.agent("c1");
                    s.hub.messages.dm(a, "b1", "private note");
                    List<Message> inbox = s.hub.messages.inbox(b, 0, 10, null).messages();
                    equal(inbox.size(), 1, "b1's inbox");
                    equal(inbox.getFirst().author(), "a1", "the author");
                    equal(s.hub.messages.inbox(c, 0, 10, null).messages().size(), 0, "c1's inbox");
                    equal(s.hub.messages.read("general", 0, 10, null).messages().size(), 0, "chat");
                    return "DM delivered to b1 only";
                }),
                of("dm-unknown-recipient", "messages", "a DM to nobody is refused", s -> {
                    Principal a = s.agent("a1");
                    refused(HubException.NotFound.class, () -> s.hub.messages.dm(a, "ghost", "hi"), "a DM to ghost");
                    return "DM to an unknown agent refused with 404";
                }),
                of("inbox-ack", "messages", "acknowledged messages are no longer unread", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Message m = s.hub.messages.dm(a, "b1", "one");
                    equal(s.hub.messages.unread("b1", 10).messages().size(), 1, "unread before");
                    s.hub.messages.acknowledge(b, m.cursor());
                    equal(s.hub.messages.unread("b1", 10).messages().size(), 0, "unread after");
                    s.hub.messages.dm(a, "b1", "two");
                    equal(s.hub.messages.unread("b1", 10).messages().size(), 1, "unread after a new DM");
                    return "acknowledged up to " + m.cursor() + "; only the new DM is unread";
                }),
                of("channels-list", "messages", "a channel appears once used", s -> {
                    Principal a = s.agent("a1");
                    s.hub.messages.post(a, "release-42", "cutting the release", null);
                    require(s.hub.messages.channels().contains("release-42"), "release-42 listed");
                    require(s.hub.messages.channels().contains(MessageService.GENERAL), "general listed");
                    return "channels: " + s.hub.messages.channels();
                }),
                of("long-poll-wakes", "messages", "a waiting read returns as soon as a message arrives", s -> {
                    Principal a = s.agent("a1");
                    long after = s.hub.messages.latestCursor();
                    long t0 = System.nanoTime();
                    CompletableFuture<MessageService.Page> waiting = CompletableFuture.supplyAsync(
                            () -> s.hub.messages.read("ops", after, 10, Duration.ofSeconds(10)),
                            r -> Thread.ofVirtual().start(r));
                    Thread.sleep(50);
                    s.hub.messages.post(a, "ops", "wake up", null);
                    MessageService.Page page = waiting.get(5, TimeUnit.SECONDS);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    equal(page.messages().size(), 1, "messages the waiting read got");
                    require(ms < 5000, "the read to return long before its 10 s wait");
                    return "woke after " + ms + " ms";
                }),
                of("message-too-large", "messages", "an oversized message is refused with its limit", s -> {
                    Principal a = s.agent("a1");
                    int max = s.hub.messages.policy().maxTextChars();
                    HubException.TooLarge e = refused(
                            HubException.TooLarge.class,
                            () -> s.hub.messages.post(a, "general", "x".repeat(max + 1), null),
                            "a message over the limit");
                    equal(e.details().get("limit"), max, "the limit named");
                    return "refused " + (max + 1) + " characters; limit " + max;
                }),
                of("event-feed", "messages", "an agent's feed shows chat and its own DMs, not others'", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.agent("c1");
                    s.hub.messages.post(a, "general", "hello all", null);
                    s.hub.messages.dm(a, "b1", "for b1");
                    s.hub.messages.dm(a, "c1", "for c1");
                    List<Message> feed = s.hub.messages.feed(b, 0, 100, null).messages();
                    require(feed.stream().anyMatch(m -> m.text().equals("hello all")), "the chat post");
                    require(feed.stream().anyMatch(m -> m.text().equals("for b1")), "b1's DM");
                    require(feed.stream().noneMatch(m -> m.text().equals("for c1")), "no DM of c1");
                    return feed.size() + " messages in b1's feed, none of c1's";
                }),
                of("system-announce", "messages", "the hub posts its notices in the ops channel", s -> {
                    s.agent("a1");
                    s.hub.announce("deploy finished, @a1");
                    Message m = AgentChecks.notices(s).getLast();
                    equal(m.author(), MessageService.HUB, "the author");
                    equal(m.mentions(), List.of("a1"), "mentions");
                    equal(s.hub.messages.recent(MessageService.GENERAL, 10).size(), 0, "notices in #general");
                    return "hub announced in #" + s.hub.opsChannel();
                }),
                of("reply-to", "messages", "replies name an existing message", s -> {
                    Principal a = s.agent("a1");
                    Message q = s.hub.messages.post(a, "general", "question?", null);
                    Message r = s.hub.messages.post(a, "general", "answer", q.id());
                    equal(r.replyTo(), q.id(), "replyTo");
                    refused(
                            HubException.NotFound.class,
                            () -> s.hub.messages.post(a, "general", "lost", "m999999999"),
                            "a reply to a missing message");
                    return "reply to " + q.id() + " accepted; reply to a missing message refused";
                }),
                of("message-retention", "messages", "messages older than the retention are purged", s -> {
                    Principal a = s.agent("a1");
                    s.hub.messages.post(a, "general", "old news", null);
                    s.advance(s.hub.messages.policy().retention().plusMinutes(1));
                    int purged = s.hub.messages.purge();
                    equal(purged, 1, "messages purged");
                    equal(s.hub.messages.read("general", 0, 10, null).messages().size(), 0, "messages left");
                    return "purged after " + s.hub.messages.policy().retention().toDays() + " days";
                }));
    }
}
