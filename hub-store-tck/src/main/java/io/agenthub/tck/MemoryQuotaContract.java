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
 * forgetting frees space; other authors are not affected.
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
        assertThat(stores.memories().add(first, three)).isTrue();
        assertThat(stores.memories().add(memory("alice", "two"), three)).isTrue();
        assertThat(stores.memories().add(memory("alice", "three"), three)).isTrue();
        Memory fourth = memory("alice", "four");
        assertThatThrownBy(() -> stores.memories().add(fourth, three))
                .isInstanceOfSatisfying(HubException.Conflict.class, e -> {
                    assertThat(e.code()).isEqualTo("quota_exceeded");
                    assertThat(e.getMessage()).contains("memory-quota-entries", "forgetting");
                });
        assertThat(stores.memories().find(fourth.id())).isEqualTo(Optional.empty());
        assertThat(stores.memories().add(memory("bob", "mine"), three))
                .as("another author")
                .isTrue();

        assertThat(stores.memories().delete(first.id(), "alice", clock.instant()))
                .isTrue();
        assertThat(stores.memories().add(fourth, three)).isTrue();
    }

    @Test
    void the_byte_quota_counts_utf8_bytes_of_live_content() {
        MemoryQuota ten = new MemoryQuota(0, 10);
        Memory five = memory("alice", "12345");
        assertThat(stores.memories().add(five, ten)).isTrue();
        assertThat(stores.memories().add(memory("alice", "éé"), ten))
                .as("4 bytes")
                .isTrue();
        assertThatThrownBy(() -> stores.memories().add(memory("alice", "ab"), ten))
                .isInstanceOfSatisfying(
                        HubException.Conflict.class,
                        e -> assertThat(e.getMessage()).contains("memory-quota-bytes"));
        stores.memories().delete(five.id(), "admin", clock.instant());
        assertThat(stores.memories().add(memory("alice", "abcde"), ten)).isTrue();
    }

    @Test
    void concurrent_writes_of_one_author_cannot_pass_the_quota_together() throws Exception {
        MemoryQuota five = new MemoryQuota(5, 0);
        List<Boolean> added = Race.run(24, i -> {
            try {
                return stores.memories().add(memory("racer", "entry " + i), five);
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
                    .isTrue();
        }
    }
}
