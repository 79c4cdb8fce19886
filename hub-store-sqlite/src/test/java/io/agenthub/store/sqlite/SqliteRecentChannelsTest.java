package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.message.Message;
import io.agenthub.message.MessageStore;
import io.agenthub.message.NewMessage;
import io.agenthub.store.Stores;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Followers of a channel are answered from its newest messages in memory ({@link RecentChannels}), and what they get is
 * what the table holds: every message once, in cursor order, also while many writers append and after retention
 * deletes.
 */
class SqliteRecentChannelsTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

    private static SqliteDatabase db(Stores stores) {
        return ((SqliteStores) stores).database();
    }

    private static NewMessage chat(String channel, String text, Instant at) {
        return NewMessage.chat(channel, "alice", text, "", List.of(), at);
    }

    /** The channel's page as the table has it. */
    private static List<Message> fromTable(Stores stores, String channel, long after, int limit) {
        return db(stores).read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SqliteMessageStore.COLUMNS
                    + " FROM message m WHERE m.channel = ? AND m.cursor > ? ORDER BY m.cursor LIMIT ?")) {
                ps.setString(1, channel);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Message> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(SqliteMessageStore.message(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Test
    void a_follower_of_a_channel_is_answered_from_memory_with_what_the_table_holds() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            MessageStore messages = stores.messages();
            for (int i = 0; i < 120; i++) {
                messages.append(chat(i % 3 == 0 ? "ops" : "dev", "m" + i, T0.plusMillis(i)));
            }
            messages.append(NewMessage.direct(Message.Kind.DM, "alice", "bob", "psst", T0));
            long reads = db(stores).readsRun();
            long after = 0;
            List<Message> followed = new ArrayList<>();
            while (true) {
                List<Message> page = messages.channel("dev", after, 7);
                assertThat(page).isEqualTo(fromTable(stores, "dev", after, 7));
                if (page.isEmpty()) {
                    break;
                }
                followed.addAll(page);
                after = page.getLast().cursor();
            }
            assertThat(followed).hasSize(80).isEqualTo(fromTable(stores, "dev", 0, 500));
            assertThat(messages.channel("ops", followed.get(40).cursor(), 500))
                    .isEqualTo(fromTable(stores, "ops", followed.get(40).cursor(), 500));
            // The comparisons: 13 pages (the last one empty), then two more. The follower's first page (after 0) comes
            // from memory too: the tail of "dev" began with the channel's first message, so it covers from 0.
            long fromTableReads = 13 + 2;
            assertThat(db(stores).readsRun() - reads)
                    .as("the follower's own pages came from memory, only the comparisons read the table")
                    .isEqualTo(fromTableReads);
        } finally {
            stores.close();
        }
    }

    @Test
    void messages_from_before_the_store_was_opened_come_from_the_table() throws Exception {
        Stores stores = SqliteFixture.fresh();
        for (int i = 0; i < 10; i++) {
            stores.messages().append(chat("dev", "old " + i, T0));
        }
        stores = SqliteFixture.reopen(stores);
        try {
            MessageStore messages = stores.messages();
            for (int i = 0; i < 5; i++) {
                messages.append(chat("dev", "new " + i, T0));
            }
            List<Message> all = messages.channel("dev", 0, 100);
            assertThat(all)
                    .extracting(Message::text)
                    .hasSize(15)
                    .startsWith("old 0")
                    .endsWith("new 4");
            assertThat(messages.channel("dev", all.get(9).cursor(), 100))
                    .extracting(Message::text)
                    .containsExactly("new 0", "new 1", "new 2", "new 3", "new 4");
            assertThat(messages.channel("dev", all.get(3).cursor(), 2))
                    .extracting(Message::text)
                    .containsExactly("old 4", "old 5");
        } finally {
            stores.close();
        }
    }

    @Test
    void what_retention_deletes_is_not_served_from_memory() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            MessageStore messages = stores.messages();
            for (int i = 0; i < 30; i++) {
                messages.append(chat("dev", "m" + i, T0.plusSeconds(i)));
            }
            assertThat(messages.channel("dev", 0, 100)).hasSize(30);
            assertThat(messages.purge(T0.plusSeconds(10), 1_000, 1_000)).isEqualTo(10);
            assertThat(messages.channel("dev", 0, 100))
                    .extracting(Message::text)
                    .hasSize(20)
                    .startsWith("m10");
            assertThat(messages.purge(T0, 5, 1_000)).isEqualTo(15);
            messages.append(chat("dev", "after", T0.plusSeconds(60)));
            assertThat(messages.channel("dev", 0, 100))
                    .extracting(Message::text)
                    .containsExactly("m25", "m26", "m27", "m28", "m29", "after");
        } finally {
            stores.close();
        }
    }

    @Test
    void followers_of_a_new_channel_read_memory_from_its_first_message_and_after_a_restart_from_its_last()
            throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            MessageStore messages = stores.messages();
            messages.append(chat("other", "x", T0));
            List<Message> dev = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                dev.add(messages.append(chat("dev", "d" + i, T0.plusSeconds(i))));
            }
            long reads = db(stores).readsRun();
            assertThat(messages.channel("dev", 0, 2)).extracting(Message::text).containsExactly("d0", "d1");
            assertThat(messages.channel("dev", 0, 100)).isEqualTo(fromTable(stores, "dev", 0, 100));
            assertThat(db(stores).readsRun())
                    .as("one read: the comparison with the table")
                    .isEqualTo(reads + 1);

            stores = SqliteFixture.reopen(stores);
            messages = stores.messages();
            Message d5 = messages.append(chat("dev", "d5", T0.plusSeconds(10)));
            reads = db(stores).readsRun();
            assertThat(messages.channel("dev", dev.get(4).cursor(), 10))
                    .as("a follower that had read everything before the restart")
                    .containsExactly(d5);
            assertThat(db(stores).readsRun()).isEqualTo(reads);
            assertThat(messages.channel("dev", dev.get(3).cursor(), 10))
                    .extracting(Message::text)
                    .containsExactly("d4", "d5");
            assertThat(db(stores).readsRun())
                    .as("older than the restart: the table")
                    .isEqualTo(reads + 1);
        } finally {
            stores.close();
        }
    }

    @Test
    void followers_behind_the_newest_messages_are_still_answered_from_memory_after_retention() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            MessageStore messages = stores.messages();
            List<Message> dev = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                dev.add(messages.append(chat("dev", "d" + i, T0.plusSeconds(i))));
                messages.append(chat("ops", "o" + i, T0.plusSeconds(i)));
            }
            // Ten of each channel by age, then each down to its newest 25: dev loses d0-d14, ops o0-o14.
            assertThat(messages.purge(T0.plusSeconds(10), 1_000, 1_000)).isEqualTo(20);
            assertThat(messages.purge(T0, 25, 1_000)).isEqualTo(5 + 5);
            long reads = db(stores).readsRun();
            assertThat(messages.channel("dev", dev.get(20).cursor(), 5))
                    .extracting(Message::text)
                    .containsExactly("d21", "d22", "d23", "d24", "d25");
            assertThat(messages.channel("dev", dev.get(14).cursor(), 2))
                    .extracting(Message::text)
                    .containsExactly("d15", "d16");
            assertThat(db(stores).readsRun())
                    .as("followers past what was deleted read memory")
                    .isEqualTo(reads);
            assertThat(messages.channel("dev", 0, 3)).extracting(Message::text).containsExactly("d15", "d16", "d17");
            assertThat(db(stores).readsRun())
                    .as("a page from before what was deleted comes from the table")
                    .isEqualTo(reads + 1);
            List<Message> ops = messages.channel("ops", 0, 100);
            assertThat(db(stores).readsRun()).isEqualTo(reads + 2);
            assertThat(ops).extracting(Message::text).hasSize(25).startsWith("o15");
            assertThat(ops).isEqualTo(fromTable(stores, "ops", 0, 100));
        } finally {
            stores.close();
        }
    }

    @Test
    void followers_see_every_message_once_in_order_while_many_writers_append() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            MessageStore messages = stores.messages();
            int writers = 8;
            int each = 150;
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            List<List<Message>> seen = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                List<Message> mine = new ArrayList<>();
                seen.add(mine);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        long after = 0;
                        boolean last = false;
                        while (!last) {
                            last = !writing.get(); // one more full pass once the writers are done
                            List<Message> page;
                            while (!(page = messages.channel("busy", after, 10)).isEmpty()) {
                                mine.addAll(page);
                                after = page.getLast().cursor();
                            }
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }));
            }
            AtomicInteger written = new AtomicInteger();
            List<Thread> writerThreads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                writerThreads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            messages.append(chat(i % 5 == 0 ? "other" : "busy", "w" + id + "-" + i, T0));
                            written.incrementAndGet();
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }));
            }
            start.countDown();
            for (Thread t : writerThreads) {
                t.join();
            }
            writing.set(false);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(problems).isEmpty();
            assertThat(written.get()).isEqualTo(writers * each);
            List<Message> table = fromTable(stores, "busy", 0, 100_000);
            assertThat(table).hasSize(writers * each * 4 / 5);
            for (List<Message> follower : seen) {
                assertThat(follower)
                        .as("a follower saw every message once, in order")
                        .isEqualTo(table);
            }
        } finally {
            stores.close();
        }
    }

    @Test
    void a_channel_keeps_a_bounded_tail_and_older_pages_come_from_the_table() {
        RecentChannels recent = new RecentChannels();
        int n = RecentChannels.MAX_MESSAGES + 100;
        for (int i = 1; i <= n; i++) {
            recent.appended(
                    new Message(i, Message.idOf(i), Message.Kind.CHAT, "dev", "alice", "", "m" + i, "", List.of(), T0),
                    0);
        }
        assertThat(recent.page("dev", 50, 10)).as("below what is held").isEmpty();
        assertThat(recent.page("dev", 100, 3).orElseThrow())
                .extracting(Message::cursor)
                .containsExactly(101L, 102L, 103L);
        assertThat(recent.page("dev", n, 10).orElseThrow()).isEmpty();
        assertThat(recent.page("nobody", 0, 10)).isEmpty();
        for (int c = 0; c <= RecentChannels.MAX_CHANNELS; c++) {
            long cursor = n + 1 + c;
            recent.appended(
                    new Message(
                            cursor,
                            Message.idOf(cursor),
                            Message.Kind.CHAT,
                            "c" + c,
                            "alice",
                            "",
                            "x",
                            "",
                            List.of(),
                            T0),
                    0);
        }
        assertThat(recent.page("dev", 100, 3))
                .as("the least recently used channel went")
                .isEmpty();
        assertThat(recent.page("c5", 0, 3).orElseThrow())
                .as("a new channel's tail covers from 0")
                .hasSize(1);
        recent.deleted(Map.of("c5", (long) n + 6));
        assertThat(recent.page("c5", 0, 3))
                .as("what retention deleted is the table's to say")
                .isEmpty();
    }

    @Test
    void an_after_commit_step_runs_only_once_its_write_committed() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            SqliteDatabase db = db(stores);
            List<String> ran = new ArrayList<>();
            db.write(c -> {
                db.afterCommit(() -> ran.add("kept"));
                return null;
            });
            assertThat(ran).as("run before the write returned").containsExactly("kept");
            assertThatThrownBy(() -> db.write(c -> {
                        db.afterCommit(() -> ran.add("rolled back"));
                        throw new IllegalStateException("no");
                    }))
                    .hasMessage("no");
            assertThat(ran).containsExactly("kept");
            assertThatThrownBy(() -> db.afterCommit(() -> {})).isInstanceOf(IllegalStateException.class);
        } finally {
            stores.close();
        }
    }
}
