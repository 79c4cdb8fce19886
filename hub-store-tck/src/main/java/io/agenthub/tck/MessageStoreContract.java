package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.message.Message;
import io.agenthub.message.MessageStore;
import io.agenthub.message.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The message contract: cursors that only grow (across restarts and purges), channel, inbox and feed reads with
 * {@code after} and {@code limit}, inbox fan-out in the same atomic append, and retention by age and per-channel cap.
 */
public abstract class MessageStoreContract extends StoresContract {
    private MessageStore messages() {
        return stores.messages();
    }

    private Message chat(String channel, String author, String text, String... mentions) {
        return messages().append(NewMessage.chat(channel, author, text, "", List.of(mentions), clock.instant()));
    }

    private Message dm(String author, String to, String text) {
        return messages().append(NewMessage.direct(Message.Kind.DM, author, to, text, clock.instant()));
    }

    private static List<Long> cursors(List<Message> list) {
        return list.stream().map(Message::cursor).toList();
    }

    @Test
    void appended_message_round_trips_with_its_cursor_and_id_across_a_restart() throws Exception {
        assertThat(messages().latestCursor()).isZero();
        Message question = chat("general", "alice", "who owns the parser?");
        Message answer = messages()
                .append(NewMessage.chat(
                        "general", "bob", "@alice I do", question.id(), List.of("alice"), clock.instant()));

        assertThat(question.cursor()).isPositive();
        assertThat(question.id()).isEqualTo("m" + question.cursor());
        assertThat(question.kind()).isEqualTo(Message.Kind.CHAT);
        assertThat(question.createdAt()).isEqualTo(clock.instant());
        assertThat(answer.replyTo()).isEqualTo(question.id());
        assertThat(answer.mentions()).containsExactly("alice");
        assertThat(messages().latestCursor()).isEqualTo(answer.cursor());

        restart();
        assertThat(messages().find(answer.id())).contains(answer);
        assertThat(messages().channel("general", 0, 10)).containsExactly(question, answer);
        assertThat(messages().latestCursor()).isEqualTo(answer.cursor());
    }

    @Test
    void cursors_strictly_increase_across_restart_and_purge() throws Exception {
        List<Long> cursors = new ArrayList<>();
        cursors.add(chat("general", "alice", "one").cursor());
        cursors.add(dm("alice", "bob", "two").cursor());
        Message newest = chat("ops", "bob", "three");
        cursors.add(newest.cursor());

        clock.advance(Duration.ofDays(1));
        // Deleting everything, the newest message included, must not let its cursor be handed out again.
        assertThat(messages().purge(clock.instant(), 100)).isEqualTo(3);
        assertThat(messages().all(0, 10)).isEmpty();
        assertThat(messages().latestCursor()).isEqualTo(newest.cursor());
        cursors.add(chat("general", "alice", "four").cursor());

        restart();
        cursors.add(chat("general", "alice", "five").cursor());
        clock.advance(Duration.ofDays(1));
        messages().purge(clock.instant(), 100);
        restart();
        cursors.add(dm("bob", "alice", "six").cursor());

        for (int i = 1; i < cursors.size(); i++) {
            assertThat(cursors.get(i)).as("cursor %d of %s", i, cursors).isGreaterThan(cursors.get(i - 1));
        }
        assertThat(messages().latestCursor()).isEqualTo(cursors.getLast());
    }

    @Test
    void channel_reads_page_with_after_and_limit_and_skip_other_channels() {
        List<Message> general = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            general.add(chat("general", "alice", "g" + i));
            chat("ops", "bob", "o" + i);
        }
        dm("alice", "bob", "private");

        assertThat(messages().channel("general", 0, 100)).containsExactlyElementsOf(general);
        assertThat(messages().channel("general", 0, 2)).containsExactlyElementsOf(general.subList(0, 2));
        assertThat(messages().channel("general", general.get(1).cursor(), 2))
                .containsExactlyElementsOf(general.subList(2, 4));
        assertThat(messages().channel("general", general.get(4).cursor(), 10)).isEmpty();
        assertThat(messages().channel("nowhere", 0, 10)).isEmpty();
        assertThat(messages().latest("general", Long.MAX_VALUE, 2)).containsExactlyElementsOf(general.subList(3, 5));
        assertThat(messages().latest("general", Long.MAX_VALUE, 100)).containsExactlyElementsOf(general);
    }

    @Test
    void a_channel_reads_backwards_from_the_newest_page_one_page_at_a_time() throws Exception {
        List<Message> general = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            general.add(chat("general", "alice", "g" + i));
            chat("ops", "bob", "o" + i);
        }
        restart();
        List<Message> newest = messages().latest("general", Long.MAX_VALUE, 2);
        assertThat(newest).as("oldest first within the page").containsExactlyElementsOf(general.subList(3, 5));
        List<Message> older = messages().latest("general", newest.getFirst().cursor(), 2);
        assertThat(older).containsExactlyElementsOf(general.subList(1, 3));
        assertThat(messages().latest("general", older.getFirst().cursor(), 2)).containsExactly(general.getFirst());
        assertThat(messages().latest("general", general.getFirst().cursor(), 2)).isEmpty();
        assertThat(messages().latest("nowhere", Long.MAX_VALUE, 2)).isEmpty();
    }

    @Test
    void mentions_and_direct_messages_land_in_the_right_inboxes() {
        Message mention = chat("general", "alice", "@bob @carol please review", "bob", "carol");
        Message toBob = dm("alice", "bob", "and this one");
        Message notice = messages()
                .append(NewMessage.direct(Message.Kind.NOTICE, "hub", "carol", "lease reaped", clock.instant()));
        Message plain = chat("general", "bob", "on it");

        assertThat(messages().inbox("bob", 0, 10)).containsExactly(mention, toBob);
        assertThat(messages().inbox("carol", 0, 10)).containsExactly(mention, notice);
        assertThat(messages().inbox("alice", 0, 10))
                .as("the author's own messages")
                .isEmpty();
        assertThat(messages().inbox("bob", mention.cursor(), 10)).containsExactly(toBob);
        assertThat(messages().inbox("bob", 0, 1)).containsExactly(mention);
        assertThat(messages().inbox("bob", toBob.cursor(), 10)).isEmpty();
        assertThat(messages().channel("general", 0, 10)).containsExactly(mention, plain);
    }

    @Test
    void a_recipient_mentioned_in_their_own_direct_message_gets_it_once() {
        Message m = messages()
                .append(new NewMessage(
                        Message.Kind.DM, "", "alice", "bob", "@bob hi", "", List.of("bob"), clock.instant()));
        assertThat(messages().inbox("bob", 0, 10)).containsExactly(m);
    }

    @Test
    void chat_all_and_feed_reads_select_by_kind_and_recipient() {
        Message g = chat("general", "alice", "hello");
        Message toBob = dm("alice", "bob", "psst");
        Message toCarol = dm("alice", "carol", "psst");
        Message mention = chat("ops", "carol", "@bob deploy?", "bob");
        Message notice =
                messages().append(NewMessage.direct(Message.Kind.NOTICE, "hub", "bob", "wake up", clock.instant()));

        assertThat(messages().all(0, 10)).containsExactly(g, toBob, toCarol, mention, notice);
        assertThat(messages().all(toBob.cursor(), 2)).containsExactly(toCarol, mention);
        assertThat(messages().chat(0, 10)).containsExactly(g, mention);
        assertThat(messages().chat(g.cursor(), 10)).containsExactly(mention);
        assertThat(messages().chatAndInbox("bob", 0, 10)).containsExactly(g, toBob, mention, notice);
        assertThat(messages().chatAndInbox("bob", g.cursor(), 2)).containsExactly(toBob, mention);
        assertThat(messages().chatAndInbox("carol", 0, 10)).containsExactly(g, toCarol, mention);
        assertThat(messages().chatAndInbox("nobody", 0, 10)).containsExactly(g, mention);
    }

    @Test
    void find_returns_retained_messages_by_id_only() {
        Message m = chat("general", "alice", "hello");
        assertThat(messages().find(m.id())).contains(m);
        assertThat(messages().find("m" + (m.cursor() + 1))).isEmpty();
        assertThat(messages().find("m0" + m.cursor())).as("a non-canonical id").isEmpty();
        assertThat(messages().find("" + m.cursor())).isEmpty();
        assertThat(messages().find("mx")).isEmpty();
        assertThat(messages().find("m")).isEmpty();
        assertThat(messages().find("m-1")).isEmpty();
        assertThat(messages().find("m99999999999999999999999")).isEmpty();
    }

    @Test
    void channels_are_listed_by_name_while_they_have_retained_messages() {
        assertThat(messages().channels()).isEmpty();
        chat("ops", "alice", "x");
        chat("general", "alice", "y");
        chat("ops", "bob", "z");
        dm("alice", "bob", "not a channel");
        assertThat(messages().channels()).containsExactly("general", "ops");

        clock.advance(Duration.ofHours(1));
        chat("general", "alice", "still here");
        messages().purge(clock.instant(), 100);
        assertThat(messages().channels()).containsExactly("general");
    }

    @Test
    void retention_by_age_deletes_old_messages_and_their_inbox_entries() {
        Message oldChat = chat("general", "alice", "@bob old", "bob");
        Message oldDm = dm("alice", "bob", "old dm");
        clock.advance(Duration.ofMinutes(10));
        Message cutoffChat = chat("general", "alice", "at the cut-off");
        Message newDm = dm("alice", "bob", "new dm");

        assertThat(messages().purge(cutoffChat.createdAt(), 100)).isEqualTo(2);
        assertThat(messages().find(oldChat.id())).isEmpty();
        assertThat(messages().find(oldDm.id())).isEmpty();
        assertThat(messages().all(0, 10)).containsExactly(cutoffChat, newDm);
        assertThat(messages().inbox("bob", 0, 10)).containsExactly(newDm);
        assertThat(messages().purge(cutoffChat.createdAt(), 100)).isZero();
    }

    @Test
    void per_channel_cap_keeps_the_newest_chat_of_each_channel_and_spares_direct_messages() {
        List<Message> general = new ArrayList<>();
        List<Message> ops = new ArrayList<>();
        List<Message> dms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            general.add(chat("general", "alice", "g" + i, "bob"));
            dms.add(dm("alice", "bob", "d" + i));
            if (i < 2) {
                ops.add(chat("ops", "alice", "o" + i));
            }
        }

        assertThat(messages().purge(clock.instant().minus(Duration.ofDays(1)), 3))
                .isEqualTo(3);
        assertThat(messages().channel("general", 0, 100)).containsExactlyElementsOf(general.subList(3, 6));
        assertThat(messages().channel("ops", 0, 100)).containsExactlyElementsOf(ops);
        assertThat(messages().all(0, 100)).containsAll(dms);
        List<Message> bobsInbox = messages().inbox("bob", 0, 100);
        assertThat(bobsInbox).containsAll(dms).containsAll(general.subList(3, 6));
        assertThat(bobsInbox).doesNotContainAnyElementsOf(general.subList(0, 3));
    }

    @Test
    void retention_runs_in_bounded_steps_oldest_first_until_nothing_is_left() {
        List<Message> busy = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            busy.add(chat("busy", "alice", "b" + i, "bob"));
        }
        List<Message> quiet = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            quiet.add(chat("quiet", "alice", "q" + i));
        }
        Instant longAgo = clock.instant().minus(Duration.ofDays(1));
        assertThat(messages().purge(longAgo, 2, 5)).isEqualTo(5);
        assertThat(messages().channel("busy", 0, 100)).containsExactlyElementsOf(busy.subList(5, 12));
        assertThat(messages().purge(longAgo, 2, 5)).isEqualTo(5);
        assertThat(messages().purge(longAgo, 2, 5))
                .as("the last step deletes fewer than the bound")
                .isEqualTo(2);
        assertThat(messages().purge(longAgo, 2, 5)).isZero();
        assertThat(messages().channel("busy", 0, 100)).containsExactlyElementsOf(busy.subList(10, 12));
        assertThat(messages().channel("quiet", 0, 100)).containsExactlyElementsOf(quiet.subList(2, 4));
        assertThat(messages().inbox("bob", 0, 100)).containsExactlyElementsOf(busy.subList(10, 12));

        for (int i = 0; i < MessageStore.PURGE_STEP + 5; i++) {
            chat("backlog", "alice", "x" + i);
        }
        assertThat(messages().purge(longAgo, 2))
                .as("the whole backlog, in steps")
                .isEqualTo(MessageStore.PURGE_STEP + 3);
        assertThat(messages().channel("backlog", 0, 10)).hasSize(2);
    }

    @Test
    void concurrent_appends_get_distinct_cursors_and_are_all_readable_in_order() throws Exception {
        int writers = 16;
        int each = 100;
        Map<Long, Message> appended = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String author = "agent-" + w;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        Message m = i % 4 == 0
                                ? dm(author, "inbox-owner", author + "#" + i)
                                : chat("ch" + (i % 3), author, author + "#" + i, "inbox-owner");
                        assertThat(appended.put(m.cursor(), m))
                                .as("cursor reused")
                                .isNull();
                        mine.add(m.cursor());
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<Long>> f : futures) {
                List<Long> mine = f.get();
                assertThat(mine).as("one writer's cursors").isSorted().doesNotHaveDuplicates();
            }
        }
        assertThat(appended).hasSize(writers * each);

        List<Message> everything = readAll(after -> messages().all(after, 97));
        assertThat(everything).hasSize(writers * each);
        assertThat(cursors(everything)).isSorted().doesNotHaveDuplicates();
        assertThat(everything).containsExactlyInAnyOrderElementsOf(appended.values());
        assertThat(readAll(after -> messages().inbox("inbox-owner", after, 89))).containsExactlyElementsOf(everything);
        Set<String> texts = new HashSet<>();
        everything.forEach(m -> texts.add(m.text()));
        assertThat(texts).hasSize(writers * each);
        assertThat(messages().latestCursor()).isEqualTo(everything.getLast().cursor());
    }

    private interface PageReader {
        List<Message> read(long after);
    }

    /** Follows {@code after} cursors to the end, as a client does. */
    private static List<Message> readAll(PageReader reader) {
        List<Message> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = reader.read(after);
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            after = page.getLast().cursor();
        }
    }

    @Test
    void inbox_acknowledgement_only_moves_forward_and_survives_a_restart() throws Exception {
        assertThat(messages().acknowledged("alice")).isZero();
        messages().acknowledge("alice", 7);
        messages().acknowledge("alice", 3);
        assertThat(messages().acknowledged("alice")).isEqualTo(7);
        assertThat(messages().acknowledged("bob")).isZero();
        restart();
        assertThat(messages().acknowledged("alice")).isEqualTo(7);
    }

    @Test
    void since_returns_the_newest_messages_created_at_or_after_a_time_oldest_first() {
        chat("general", "alice", "old");
        clock.advance(java.time.Duration.ofMinutes(5));
        java.time.Instant cut = clock.instant();
        Message a = chat("general", "bob", "new one");
        Message b = chat("ops", "carol", "new two");
        Message c = chat("general", "dave", "new three");
        assertThat(messages().since(cut, 10)).containsExactly(a, b, c);
        assertThat(messages().since(cut, 2)).containsExactly(b, c);
    }
}
