package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.message.Message;
import io.agenthub.message.MessagePolicy;
import io.agenthub.message.MessageService;
import io.agenthub.message.MessageService.Page;
import io.agenthub.message.MessageStore;
import io.agenthub.store.Stores;
import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The message service's policy and long-polls, over the SQLite store and its local signal. */
class MessageServiceTest {
    private static final Principal ALICE = new Principal("alice", Role.AGENT);
    private static final Principal BOB = new Principal("bob", Role.AGENT);
    private static final Principal ADMIN = new Principal(Principal.ADMIN_ID, Role.ADMIN);
    private static final Principal VIEWER = new Principal("dashboard", Role.VIEWER);
    private static final Duration SHORT_WAIT = Duration.ofMillis(300);

    private final MutableClock clock = MutableClock.atSomeFixedTime();
    private final Set<String> agents = Set.of("alice", "bob", "carol", "bob.smith", "dashboard");
    private Stores stores;
    private MessageService messages;

    @BeforeEach
    void open() throws Exception {
        stores = SqliteFixture.fresh();
        messages = service(MessagePolicy.defaults());
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static CompletableFuture<Page> inBackground(Supplier<Page> read) {
        return CompletableFuture.supplyAsync(read, r -> Thread.ofVirtual().start(r));
    }

    private MessageService service(MessagePolicy policy) {
        return new MessageService(stores.messages(), stores.messageSignal(), policy, agents::contains, clock);
    }

    @Test
    void a_long_polling_inbox_is_not_woken_by_chat_it_cannot_read() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inboxReads = new java.util.concurrent.atomic.AtomicInteger();
        MessageStore real = stores.messages();
        MessageStore counting = (MessageStore) java.lang.reflect.Proxy.newProxyInstance(
                MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("inbox")) {
                        inboxReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        MessageService service =
                new MessageService(counting, stores.messageSignal(), MessagePolicy.defaults(), agents::contains, clock);
        CompletableFuture<Page> waiting = inBackground(() -> service.inbox(BOB, 0, 10, Duration.ofSeconds(10)));
        Thread.sleep(100);
        for (int i = 0; i < 20; i++) {
            service.post(ALICE, "general", "chat " + i, null);
        }
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        assertThat(inboxReads.get())
                .as("20 chat messages, no mention: the inbox is read once")
                .isEqualTo(1);
        Message mention = service.post(ALICE, "general", "@bob look", null);
        assertThat(waiting.get(5, TimeUnit.SECONDS).messages()).containsExactly(mention);
        assertThat(inboxReads.get()).isEqualTo(2);
    }

    @Test
    void a_reader_waiting_five_seconds_is_woken_by_a_post_well_under_a_second() throws Exception {
        long after = messages.post(ALICE, "general", "before", null).cursor();
        CompletableFuture<Page> waiting =
                inBackground(() -> messages.read("general", after, 10, Duration.ofSeconds(5)));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        long posted = System.nanoTime();
        Message m = messages.post(BOB, "general", "wake up", null);
        Page page = waiting.get(2, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isLessThan(Duration.ofMillis(500));
        assertThat(page.messages()).containsExactly(m);
        assertThat(page.nextCursor()).isEqualTo(m.cursor());
    }

    @Test
    void a_read_with_wait_returns_empty_with_next_cursor_equal_to_after_when_nothing_arrives() {
        long after = messages.post(ALICE, "general", "only one", null).cursor();
        long start = System.nanoTime();
        Page page = messages.read("general", after, 10, SHORT_WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT_WAIT);
        assertThat(page.messages()).isEmpty();
        assertThat(page.nextCursor()).isEqualTo(after);
    }

    @Test
    void posts_in_other_channels_do_not_end_a_wait_early() throws Exception {
        CompletableFuture<Page> waiting = inBackground(() -> messages.read("ops", 0, 10, Duration.ofSeconds(5)));
        for (int i = 0; i < 5; i++) {
            Thread.sleep(50);
            messages.post(ALICE, "general", "noise " + i, null);
        }
        assertThat(waiting).isNotDone();
        Message ops = messages.post(BOB, "ops", "for ops", null);
        assertThat(waiting.get(2, TimeUnit.SECONDS).messages()).containsExactly(ops);
    }

    @Test
    void an_inbox_wait_is_woken_by_a_direct_message() throws Exception {
        CompletableFuture<Page> waiting = inBackground(() -> messages.inbox(BOB, 0, 10, Duration.ofSeconds(5)));
        Thread.sleep(50);
        messages.post(ALICE, "general", "not for bob's inbox", null);
        Message dm = messages.dm(ALICE, "bob", "for bob");
        assertThat(waiting.get(2, TimeUnit.SECONDS).messages()).containsExactly(dm);
    }

    @Test
    void reads_without_wait_page_with_after_and_limit() {
        Message a = messages.post(ALICE, "general", "a", null);
        Message b = messages.post(ALICE, "general", "b", null);
        Message c = messages.post(ALICE, "general", "c", null);
        Page first = messages.read("general", 0, 2, Duration.ZERO);
        assertThat(first.messages()).containsExactly(a, b);
        Page second = messages.read("general", first.nextCursor(), 2, null);
        assertThat(second.messages()).containsExactly(c);
        Page beyond = messages.read("general", c.cursor() + 100, 2, null);
        assertThat(beyond.nextCursor()).isEqualTo(c.cursor() + 100);
        assertThat(messages.recent("general", 2)).containsExactly(b, c);
    }

    @Test
    void every_write_publishes_its_cursor_to_the_signal() throws Exception {
        Message post = messages.post(ALICE, "general", "p", null);
        assertThat(stores.messageSignal().await(0, Duration.ZERO)).isEqualTo(post.cursor());
        Message dm = messages.dm(ALICE, "bob", "d");
        assertThat(stores.messageSignal().await(0, Duration.ZERO)).isEqualTo(dm.cursor());
        Message notice = messages.notice("bob", "n");
        assertThat(stores.messageSignal().await(0, Duration.ZERO)).isEqualTo(notice.cursor());
        Message announcement = messages.announce("ops", "a");
        assertThat(stores.messageSignal().await(0, Duration.ZERO)).isEqualTo(announcement.cursor());
    }

    @Test
    void the_signal_of_reopened_stores_starts_at_the_stored_latest_cursor() throws Exception {
        Message last = messages.post(ALICE, "general", "before restart", null);
        stores = SqliteFixture.reopen(stores);
        assertThat(stores.messageSignal().await(0, Duration.ZERO)).isEqualTo(last.cursor());
    }

    @Test
    void mentions_of_existing_agents_are_deduplicated_and_the_author_is_dropped() {
        Message m = messages.post(
                ALICE,
                "general",
                "@bob and @carol, @bob again; @alice is me, @ghost is nobody, mail bob@example.com, thanks"
                        + " @bob.smith.",
                null);
        assertThat(m.mentions()).containsExactly("bob", "carol", "bob.smith");
        assertThat(m.author()).isEqualTo("alice");
        assertThat(messages.inbox(BOB, 0, 10, null).messages()).containsExactly(m);
        assertThat(messages.inbox(ALICE, 0, 10, null).messages()).isEmpty();
        assertThat(messages.inbox(new Principal("bob.smith", Role.AGENT), 0, 10, null)
                        .messages())
                .containsExactly(m);
    }

    @Test
    void reply_to_must_name_a_retained_message() {
        Message question = messages.post(ALICE, "general", "question", "");
        Message answer = messages.post(BOB, "general", "answer", question.id());
        assertThat(answer.replyTo()).isEqualTo(question.id());
        assertThatThrownBy(() -> messages.post(BOB, "general", "answer", "m999"))
                .isInstanceOf(HubException.NotFound.class)
                .hasMessageContaining("m999");
    }

    @Test
    void direct_messages_need_an_existing_recipient_and_admins_send_as_admin() {
        assertThatThrownBy(() -> messages.dm(ALICE, "ghost", "hi"))
                .isInstanceOf(HubException.NotFound.class)
                .hasMessageContaining("ghost");
        Message fromAdmin = messages.dm(ADMIN, "bob", "please rebase");
        assertThat(fromAdmin.author()).isEqualTo("admin");
        assertThat(fromAdmin.kind()).isEqualTo(Message.Kind.DM);
        assertThat(fromAdmin.to()).isEqualTo("bob");
        assertThat(messages.inbox(BOB, 0, 10, null).messages()).containsExactly(fromAdmin);
    }

    @Test
    void viewers_cannot_post_or_send_direct_messages() {
        assertThatThrownBy(() -> messages.post(VIEWER, "general", "hi", null))
                .isInstanceOf(HubException.Forbidden.class);
        assertThatThrownBy(() -> messages.dm(VIEWER, "bob", "hi")).isInstanceOf(HubException.Forbidden.class);
    }

    @Test
    void hub_notices_and_announcements_are_written_by_the_hub() {
        Message notice = messages.notice("bob", "your lease on src/ was released");
        assertThat(notice.kind()).isEqualTo(Message.Kind.NOTICE);
        assertThat(notice.author()).isEqualTo("hub");
        Message announcement = messages.announce("ops", "@carol is offline");
        assertThat(announcement.author()).isEqualTo("hub");
        assertThat(announcement.channel()).isEqualTo("ops");
        assertThat(announcement.mentions()).containsExactly("carol");
        assertThat(messages.channels()).containsExactly("general", "ops");
    }

    @Test
    void channel_names_are_checked_and_general_is_always_listed() {
        assertThat(messages.channels()).containsExactly("general");
        messages.post(ALICE, "build-7_ci", "ok", null);
        assertThat(messages.channels()).containsExactly("build-7_ci", "general");
        for (String bad : new String[] {"", "General", "-dash", "has space", "a".repeat(65), "dm/bob"}) {
            assertThatThrownBy(() -> messages.post(ALICE, bad, "x", null))
                    .as("channel %s", bad)
                    .isInstanceOf(HubException.InvalidRequest.class);
        }
        assertThatThrownBy(() -> messages.read(null, 0, 10, null)).isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void text_over_the_limit_is_too_large_and_blank_text_is_invalid() {
        MessageService small = service(new MessagePolicy(10, Duration.ofDays(1), 100, 10, 50, Duration.ofSeconds(1)));
        small.post(ALICE, "general", "0123456789", null);
        assertThatThrownBy(() -> small.post(ALICE, "general", "0123456789x", null))
                .isInstanceOf(HubException.TooLarge.class);
        assertThatThrownBy(() -> small.dm(ALICE, "bob", "0123456789x")).isInstanceOf(HubException.TooLarge.class);
        assertThatThrownBy(() -> small.post(ALICE, "general", " ", null))
                .isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void after_limit_and_wait_are_checked() {
        assertThatThrownBy(() -> messages.read("general", -1, 10, null))
                .isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> messages.read("general", 0, 0, null)).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> messages.inbox(BOB, 0, 501, null)).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> messages.feed(BOB, 0, 10, Duration.ofSeconds(31)))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("30 seconds");
        assertThatThrownBy(() -> messages.feed(BOB, 0, 10, Duration.ofMillis(-1)))
                .isInstanceOf(HubException.InvalidRequest.class);
        assertThat(messages.read("general", 0, 500, Duration.ZERO).messages()).isEmpty();
    }

    @Test
    void reading_the_inbox_acknowledges_only_valid_cursors_up_to_the_newest() {
        Message first = messages.dm(ALICE, "bob", "one");
        Message second = messages.dm(ALICE, "bob", "two");
        messages.inbox(BOB, first.cursor(), 10, null);
        assertThat(messages.unread("bob", 10).messages()).containsExactly(second);

        assertThatThrownBy(() -> messages.inbox(BOB, second.cursor(), 0, null))
                .isInstanceOf(HubException.InvalidRequest.class);
        assertThat(messages.unread("bob", 10).messages())
                .as("a refused read acknowledges nothing")
                .containsExactly(second);

        messages.inbox(BOB, second.cursor() + 1_000, 10, null);
        Message third = messages.dm(ALICE, "bob", "three");
        assertThat(messages.unread("bob", 10).messages())
                .as("a cursor from the future does not hide later messages")
                .containsExactly(third);

        messages.inbox(VIEWER, third.cursor(), 10, null);
        assertThat(stores.messages().acknowledged("dashboard")).isZero();
    }

    @Test
    void feeds_show_agents_their_inbox_and_all_chat_viewers_only_chat_and_admins_everything() {
        Message chat = messages.post(ALICE, "general", "hello", null);
        Message toBob = messages.dm(ALICE, "bob", "psst");
        Message toCarol = messages.dm(ALICE, "carol", "psst");
        Message notice = messages.notice("bob", "wake up");
        Message ops = messages.post(ALICE, "ops", "deploying", null);

        assertThat(messages.feed(BOB, 0, 100, null).messages()).containsExactly(chat, toBob, notice, ops);
        assertThat(messages.feed(VIEWER, 0, 100, null).messages()).containsExactly(chat, ops);
        assertThat(messages.feed(ADMIN, 0, 100, null).messages()).containsExactly(chat, toBob, toCarol, notice, ops);
        Page tail = messages.feed(BOB, toBob.cursor(), 1, null);
        assertThat(tail.messages()).containsExactly(notice);
        assertThat(tail.nextCursor()).isEqualTo(notice.cursor());
    }

    @Test
    void purge_applies_retention_by_age_and_per_channel_cap() {
        MessageService capped = service(new MessagePolicy(1000, Duration.ofHours(1), 2, 10, 50, Duration.ofSeconds(1)));
        Message old = capped.dm(ALICE, "bob", "old");
        clock.advance(Duration.ofMinutes(61));
        Message a = capped.post(ALICE, "general", "a", null);
        Message b = capped.post(ALICE, "general", "b", null);
        Message c = capped.post(ALICE, "general", "c", null);
        assertThat(capped.purge()).isEqualTo(2);
        assertThat(capped.read("general", 0, 10, null).messages()).containsExactly(b, c);
        assertThat(capped.inbox(BOB, 0, 10, null).messages()).doesNotContain(old);
        assertThat(a.cursor()).isGreaterThan(old.cursor());
    }
}
