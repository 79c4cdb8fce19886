package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryQuota;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The memory quota: an author's live entries and their bytes are checked in the same atomic step as the write;
 * forgetting frees space; other authors are not affected. With merge-on-write: a write that merges into an existing
 * entry counts against no one and is never refused; an entry counts against its first author only; an entry removed by
 * a consolidation merge or by decay frees its author's space; a restored snapshot counts the live entries it holds.
 */
public abstract class MemoryQuotaContract extends StoresContract {
    private int next;

    private Memory memory(String author, String content) {
        return Memory.fresh("q-" + ++next, Memory.Category.LEARNING, content, List.of("t"), author, clock.instant());
    }

    @Test
    void past_its_entry_quota_an_author_is_refused_until_it_forgets_one() {
        MemoryQuota three = new MemoryQuota(3, 0);
        Memory first = memory("alice", "one");
        assertThat(stores.memories().add(first, three)).isPresent();
        assertThat(stores.memories().add(memory("alice", "two"), three)).isPresent();
        assertThat(stores.memories().add(memory("alice", "three"), three)).isPresent();
        Memory fourth = memory("alice", "four");
        assertThatThrownBy(() -> stores.memories().add(fourth, three))
                .isInstanceOfSatisfying(HubException.Conflict.class, e -> {
                    assertThat(e.code()).isEqualTo("quota_exceeded");
                    assertThat(e.getMessage()).contains("memory-quota-entries", "forgetting");
                });
        assertThat(stores.memories().find(fourth.id())).isEqualTo(Optional.empty());
        assertThat(stores.memories().add(memory("bob", "mine"), three))
                .as("another author")
                .isPresent();

        assertThat(stores.memories().delete(first.id(), "alice", clock.instant()))
                .isTrue();
        assertThat(stores.memories().add(fourth, three)).isPresent();
    }

    @Test
    void the_byte_quota_counts_utf8_bytes_of_live_content() {
        MemoryQuota ten = new MemoryQuota(0, 10);
        Memory five = memory("alice", "12345");
        assertThat(stores.memories().add(five, ten)).isPresent();
        assertThat(stores.memories().add(memory("alice", "éé"), ten))
                .as("4 bytes")
                .isPresent();
        assertThatThrownBy(() -> stores.memories().add(memory("alice", "ab"), ten))
                .isInstanceOfSatisfying(
                        HubException.Conflict.class,
                        e -> assertThat(e.getMessage()).contains("memory-quota-bytes"));
        stores.memories().delete(five.id(), "admin", clock.instant());
        assertThat(stores.memories().add(memory("alice", "abcde"), ten)).isPresent();
    }

    @Test
    void concurrent_writes_of_one_author_cannot_pass_the_quota_together() throws Exception {
        MemoryQuota five = new MemoryQuota(5, 0);
        List<Boolean> added = Race.run(24, i -> {
            try {
                return stores.memories()
                        .add(memory("racer", "entry " + i), five)
                        .isPresent();
            } catch (HubException.Conflict e) {
                return false;
            }
        });
        assertThat(added.stream().filter(a -> a)).hasSize(5);
    }

    @Test
    void without_a_quota_nothing_is_counted_against_anyone() {
        for (int i = 0; i < 20; i++) {
            assertThat(stores.memories().add(memory("alice", "free " + i), MemoryQuota.NONE))
                    .isPresent();
        }
    }

    @Test
    void an_author_at_its_quota_can_still_write_a_duplicate_which_merges() {
        MemoryQuota two = new MemoryQuota(2, 0);
        Memory mine = memory("alice", "the cache is cold on monday");
        stores.memories().add(mine, two);
        stores.memories().add(memory("alice", "deploys need a green build"), two);
        assertThatThrownBy(() -> stores.memories().add(memory("alice", "something new"), two))
                .isInstanceOf(HubException.Conflict.class);

        assertThat(stores.memories().add(memory("alice", "The cache is COLD on Monday!"), two))
                .as("a duplicate of its own entry")
                .hasValueSatisfying(a -> {
                    assertThat(a.merged()).isTrue();
                    assertThat(a.memory().id()).isEqualTo(mine.id());
                });
        MemoryQuota one = new MemoryQuota(1, 3);
        stores.memories().add(memory("bob", "abc"), one);
        assertThat(stores.memories().add(memory("bob", "deploys need a green build."), one))
                .as("another author at its quota writes a duplicate of alice's entry, longer than its byte quota")
                .hasValueSatisfying(a -> assertThat(a.merged()).isTrue());
        assertThatThrownBy(() -> stores.memories().add(memory("alice", "something new"), two))
                .as("merges added nothing to alice's entries either")
                .isInstanceOf(HubException.Conflict.class);
        assertThatThrownBy(() -> stores.memories().add(memory("bob", "x"), one))
                .as("nor to bob's")
                .isInstanceOf(HubException.Conflict.class);
    }

    @Test
    void an_entry_removed_by_a_consolidation_merge_frees_its_authors_quota() {
        MemoryQuota two = new MemoryQuota(2, 0);
        Memory kept = memory("alice", "flaky test in the billing module");
        Memory older = memory("alice", "deploys need a green build");
        Memory bobs = memory("bob", "the billing module test is flaky");
        stores.memories().add(kept, two);
        stores.memories().add(older, two);
        stores.memories().add(bobs, new MemoryQuota(1, 0));
        assertThatThrownBy(() -> stores.memories().add(memory("bob", "another"), new MemoryQuota(1, 0)))
                .isInstanceOf(HubException.Conflict.class);

        assertThat(stores.memories().merge(kept.id(), bobs.id(), clock.instant()))
                .isPresent();
        assertThat(stores.memories().add(memory("bob", "another"), new MemoryQuota(1, 0)))
                .as("bob's entry was merged into alice's and removed")
                .isPresent();
        assertThatThrownBy(() -> stores.memories().add(memory("alice", "a third"), two))
                .as("the entry it went into still counts for alice alone")
                .isInstanceOf(HubException.Conflict.class);

        assertThat(stores.memories().merge(kept.id(), older.id(), clock.instant()))
                .isPresent();
        assertThat(stores.memories().add(memory("alice", "a third"), two)).isPresent();
    }

    @Test
    void entries_removed_by_decay_free_their_authors_quota() {
        MemoryQuota one = new MemoryQuota(1, 100);
        Memory old = memory("alice", "an old finding nobody recalled");
        stores.memories().add(old, one);
        assertThatThrownBy(() -> stores.memories().add(memory("alice", "fresh"), one))
                .isInstanceOf(HubException.Conflict.class);

        clock.advance(java.time.Duration.ofDays(40));
        assertThat(stores.memories().decay(clock.instant().minus(java.time.Duration.ofDays(30)), 10, clock.instant()))
                .containsExactly(old.id());
        assertThat(stores.memories().add(memory("alice", "fresh"), one)).isPresent();
    }

    @Test
    void a_restored_snapshot_counts_the_live_entries_it_holds() throws Exception {
        MemoryQuota three = new MemoryQuota(3, 0);
        Memory forgotten = memory("alice", "one");
        stores.memories().add(forgotten, three);
        stores.memories().add(memory("alice", "two"), three);
        stores.memories().add(memory("bob", "Two!"), three);
        stores.memories().delete(forgotten.id(), "alice", clock.instant());
        List<io.agenthub.snapshot.SnapshotRecord> records = new java.util.ArrayList<>();
        stores.snapshots().export(records::add);

        try (io.agenthub.store.Stores target = openStores()) {
            target.snapshots().restore(records.iterator());
            assertThat(target.memories().add(memory("alice", "three"), three)).isPresent();
            assertThat(target.memories().add(memory("alice", "four"), three)).isPresent();
            assertThatThrownBy(() -> target.memories().add(memory("alice", "five"), three))
                    .as("alice holds one restored live entry (bob's write merged into it) and two new ones")
                    .isInstanceOf(HubException.Conflict.class);
            assertThat(target.memories().add(memory("bob", "his own"), new MemoryQuota(1, 0)))
                    .as("bob's merged write counts for no one")
                    .isPresent();
        }
    }
}
