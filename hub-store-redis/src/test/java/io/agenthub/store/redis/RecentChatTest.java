package io.agenthub.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.message.Message;
import io.agenthub.message.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Channel reads served from a node's copy: fresh by the signal, correct across nodes, and cheap when nothing moved. */
class RecentChatTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private static Message post(RedisStores node, String channel, String text) {
        Message m = node.messages().append(NewMessage.chat(channel, "alice", text, null, List.of(), T0));
        node.messageSignal().publish(m.cursor());
        return m;
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(Message::text).toList();
    }

    @Test
    void a_message_posted_on_another_node_is_read_here_once_its_signal_arrives() throws InterruptedException {
        RedisStores a = RedisFixture.fresh();
        RedisStores b = RedisStores.open(LocalRedisServer.shared().url(), a.prefix(), RedisFixture.TIMEOUT);
        try {
            post(a, "general", "one");
            assertThat(texts(b.messages().channel("general", 0, 50))).containsExactly("one");
            Message two = post(a, "general", "two");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.messageSignal().await(two.cursor() - 1, Duration.ofMillis(100)) < two.cursor()
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(texts(b.messages().channel("general", 0, 50))).containsExactly("one", "two");
            assertThat(texts(b.messages().channel("general", two.cursor() - 1, 50)))
                    .containsExactly("two");
            post(b, "general", "three");
            assertThat(texts(b.messages().channel("general", two.cursor(), 50)))
                    .as("this node's own post, read at once")
                    .containsExactly("three");
        } finally {
            b.close();
            a.close();
        }
    }

    @Test
    void a_reader_that_knows_a_later_cursor_than_the_node_gets_it_without_a_signal() {
        AtomicLong known = new AtomicLong();
        FakeSource source = new FakeSource();
        RecentChat chat = new RecentChat(source, known::get, () -> 0);
        source.add(1, "one");
        known.set(1);
        assertThat(texts(chat.after("c", 0, 10))).containsExactly("one");
        // Posted on another node, their signals not here yet; the reader got cursor 2 there.
        source.add(2, "two");
        source.add(3, "three");
        assertThat(texts(chat.after("c", 2, 10))).containsExactly("three");
        assertThat(texts(chat.after("c", 0, 10))).containsExactly("one", "two", "three");
    }

    @Test
    void reads_of_an_unchanged_channel_cost_no_read_of_redis_and_a_change_costs_one() {
        AtomicLong known = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        FakeSource source = new FakeSource();
        RecentChat chat = new RecentChat(source, known::get, nanos::get);
        for (int i = 1; i <= 300; i++) {
            source.add(i, "m" + i);
        }
        known.set(300);
        assertThat(chat.after("c", 250, 10))
                .extracting(Message::cursor)
                .startsWith(251L)
                .hasSize(10);
        int reads = source.reads.get();
        for (int i = 0; i < 100; i++) {
            chat.after("c", 290, 50);
        }
        assertThat(source.reads.get())
                .as("reads of Redis for 100 reads of an unchanged channel")
                .isEqualTo(reads);

        source.add(301, "m301");
        known.set(301);
        assertThat(texts(chat.after("c", 299, 50))).containsExactly("m300", "m301");
        assertThat(source.reads.get()).isEqualTo(reads + 1);

        assertThat(chat.after("c", 10, 5))
                .as("older than the copy: read from Redis")
                .extracting(Message::cursor)
                .containsExactly(11L, 12L, 13L, 14L, 15L);

        source.add(302, "m302"); // its signal was lost
        nanos.addAndGet(RecentChat.MAX_AGE.toNanos());
        assertThat(texts(chat.after("c", 301, 50))).containsExactly("m302");
    }

    @Test
    void a_follower_far_behind_a_busy_channel_is_answered_from_the_copy() {
        AtomicLong known = new AtomicLong();
        FakeSource source = new FakeSource();
        RecentChat chat = new RecentChat(source, known::get, () -> 0L);
        assertThat(chat.after("c", 0, 50)).isEmpty();
        long follower = 0;
        int rounds = 40;
        for (int round = 0; round < rounds; round++) {
            for (int i = 1; i <= 100; i++) {
                long cursor = known.get() + 1;
                source.add(cursor, "m" + cursor);
                known.set(cursor);
            }
            chat.after("c", known.get() - 1, 50); // a reader at the head brings the copy up to date
            List<Message> page = chat.after("c", follower, 50);
            assertThat(page).extracting(Message::cursor).first().isEqualTo(follower + 1);
            assertThat(page).hasSize(50);
            follower = page.getLast().cursor();
        }
        assertThat(known.get() - follower).as("how far behind the follower is").isEqualTo(2_000);
        assertThat(source.reads.get())
                .as("Redis reads: the first read and one refresh a round, none for the follower")
                .isEqualTo(1 + rounds);
    }

    @Test
    void a_copy_keeps_at_most_its_characters_and_older_reads_go_to_redis() {
        AtomicLong known = new AtomicLong();
        FakeSource source = new FakeSource();
        RecentChat chat = new RecentChat(source, known::get, () -> 0L);
        String big = "x".repeat(10_000);
        int n = (int) (RecentChat.MAX_CHARS / 10_000) + 50;
        for (int i = 1; i <= n; i++) {
            source.add(i, big);
            known.set(i);
            if (i % 100 == 0) {
                chat.after("c", i - 1, 1);
            }
        }
        chat.after("c", n - 1, 1);
        int reads = source.reads.get();
        assertThat(chat.after("c", n - 10, 50)).hasSize(10);
        assertThat(source.reads.get()).as("the newest messages are held").isEqualTo(reads);
        assertThat(chat.after("c", 0, 3)).extracting(Message::cursor).containsExactly(1L, 2L, 3L);
        assertThat(source.reads.get())
                .as("the oldest left the copy to keep it under its characters")
                .isEqualTo(reads + 1);
    }

    /** A channel "c" in memory, counting its reads. */
    @Test
    void readers_queued_behind_one_refresh_take_its_result_instead_of_reading_again() throws Exception {
        AtomicLong known = new AtomicLong();
        FakeSource source = new FakeSource() {
            @Override
            public List<Message> after(String channel, long after, int limit) {
                try {
                    Thread.sleep(20); // a slow round trip: the other readers queue behind it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<Message> read = super.after(channel, after, limit);
                // Agents keep posting: by the time a read returns, a newer message is known.
                synchronized (this) {
                    long next = known.get() + 1;
                    add(next, "m" + next);
                    known.set(next);
                }
                return read;
            }
        };
        RecentChat chat = new RecentChat(source, known::get, System::nanoTime);
        source.add(1, "m1");
        known.set(1);
        chat.after("c", 0, 10);
        source.add(2, "m2");
        known.set(2);
        int before = source.reads.get();
        int readers = 50;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<List<String>> seen =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < readers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                seen.add(texts(chat.after("c", 1, 10)));
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(readers).allSatisfy(t -> assertThat(t).startsWith("m2"));
        assertThat(source.reads.get() - before)
                .as("Redis reads for %d readers while messages keep arriving", readers)
                .isLessThanOrEqualTo(3);
    }

    @Test
    void readers_past_what_a_purge_deleted_are_still_answered_from_the_copy() {
        AtomicLong known = new AtomicLong();
        FakeSource source = new FakeSource();
        RecentChat chat = new RecentChat(source, known::get, () -> 0);
        for (int i = 1; i <= 300; i++) {
            source.add(i, "m" + i);
        }
        known.set(300);
        assertThat(texts(chat.after("c", 250, 2))).containsExactly("m251", "m252");
        for (long i = 1; i <= 100; i++) {
            source.remove(i);
        }
        chat.deleted(Map.of("c", 100L, "elsewhere", 7L));
        int reads = source.reads.get();
        assertThat(texts(chat.after("c", 150, 2))).containsExactly("m151", "m152");
        assertThat(texts(chat.after("c", 100, 2))).containsExactly("m101", "m102");
        assertThat(source.reads.get())
                .as("no read of Redis past what was deleted")
                .isEqualTo(reads);
        assertThat(texts(chat.after("c", 40, 2))).as("before it, Redis answers").containsExactly("m101", "m102");
        assertThat(source.reads.get()).isEqualTo(reads + 1);
    }

    @Test
    void a_purge_through_this_node_leaves_no_deleted_message_in_its_copy() {
        RedisStores a = RedisFixture.fresh();
        try {
            List<Message> posted = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                posted.add(post(a, "dev", "d" + i));
                post(a, "ops", "o" + i);
            }
            assertThat(texts(a.messages().channel("dev", 0, 100))).hasSize(30);
            assertThat(texts(a.messages().channel("ops", 0, 100))).hasSize(30);
            assertThat(a.messages().purge(T0, 10, 1_000)).isEqualTo(40);
            assertThat(texts(a.messages().channel("dev", 0, 100)))
                    .containsExactlyElementsOf(
                            posted.subList(20, 30).stream().map(Message::text).toList());
            assertThat(texts(a.messages().channel("dev", posted.get(24).cursor(), 2)))
                    .containsExactly("d25", "d26");
            assertThat(texts(a.messages().channel("ops", 0, 100))).hasSize(10).startsWith("o20");
        } finally {
            a.close();
        }
    }

    private static class FakeSource implements RecentChat.Source {
        private final TreeMap<Long, Message> messages = new TreeMap<>();
        final AtomicInteger reads = new AtomicInteger();

        void add(long cursor, String text) {
            messages.put(
                    cursor,
                    new Message(
                            cursor,
                            Message.idOf(cursor),
                            Message.Kind.CHAT,
                            "c",
                            "alice",
                            "",
                            text,
                            "",
                            List.of(),
                            T0));
        }

        synchronized void remove(long cursor) {
            messages.remove(cursor);
        }

        @Override
        public synchronized List<Message> after(String channel, long after, int limit) {
            reads.incrementAndGet();
            return messages.tailMap(after, false).values().stream().limit(limit).toList();
        }

        @Override
        public synchronized List<Message> newest(String channel, int limit) {
            reads.incrementAndGet();
            List<Message> all = List.copyOf(messages.values());
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }
    }
}
