package io.agenthub.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A message wakes the waits that could read it, not every wait. */
class LocalMessageSignalTest {
    private final LocalMessageSignal signal = new LocalMessageSignal(0);

    private CompletableFuture<Long> await(long after, Set<String> topics) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return signal.await(after, topics, Duration.ofSeconds(20));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
    }

    private void waitersAre(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (signal.waiters() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(signal.waiters()).isEqualTo(n);
    }

    @Test
    void a_chat_message_wakes_its_channel_and_the_chat_readers_not_the_inboxes() throws Exception {
        CompletableFuture<Long> bobInbox = await(0, Set.of(MessageTopics.inbox("bob")));
        CompletableFuture<Long> general = await(0, Set.of(MessageTopics.channel("general")));
        CompletableFuture<Long> ops = await(0, Set.of(MessageTopics.channel("ops")));
        CompletableFuture<Long> carolFeed = await(0, Set.of(MessageTopics.CHAT, MessageTopics.inbox("carol")));
        CompletableFuture<Long> admin = await(0, null);
        waitersAre(5);

        signal.publish(1, MessageTopics.of(NewMessage.chat("general", "alice", "hi", "", List.of(), Instant.EPOCH)));
        assertThat(general.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(carolFeed.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(admin.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        waitersAre(2);
        assertThat(bobInbox).isNotDone();
        assertThat(ops).isNotDone();

        // A mention reaches bob's inbox: his wait returns, the other channel's still waits.
        signal.publish(
                2, MessageTopics.of(NewMessage.chat("general", "alice", "@bob", "", List.of("bob"), Instant.EPOCH)));
        assertThat(bobInbox.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        waitersAre(1);
        assertThat(ops).isNotDone();

        // An announcement that names no topic (a node catching up) concerns everyone.
        signal.publish(3);
        assertThat(ops.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        waitersAre(0);
    }

    @Test
    void a_wait_returns_at_once_for_a_message_of_its_topics_announced_before_it_began_even_out_of_order()
            throws Exception {
        signal.publish(11, Set.of(MessageTopics.inbox("bob")));
        // Another node's earlier message arrives after it.
        signal.publish(10, Set.of(MessageTopics.inbox("carol")));
        assertThat(signal.await(9, Set.of(MessageTopics.inbox("carol")), Duration.ofSeconds(5)))
                .isEqualTo(10);
        assertThat(signal.await(11, Set.of(MessageTopics.inbox("carol")), Duration.ZERO))
                .as("nothing of carol's after 11")
                .isEqualTo(10);
        assertThat(signal.await(0, Duration.ZERO)).isEqualTo(11);
    }

    @Test
    void a_wait_for_topics_that_see_nothing_times_out_with_the_highest_cursor_it_knows() throws Exception {
        signal.publish(5, Set.of(MessageTopics.channel("ops")));
        long started = System.nanoTime();
        assertThat(signal.await(0, Set.of(MessageTopics.channel("dev")), Duration.ofMillis(200)))
                .isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        waitersAre(0);
    }
}
