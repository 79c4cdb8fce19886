package io.agenthub.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryServiceTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Principal ALICE = new Principal("alice", Role.AGENT);
    private static final Principal BOB = new Principal("bob", Role.AGENT);
    private static final Principal ADMIN = new Principal(Principal.ADMIN_ID, Role.ADMIN);
    private static final Principal VIEWER = new Principal("dashboard", Role.VIEWER);

    private final FakeMemoryStore store = new FakeMemoryStore();
    private final MemoryService service = new MemoryService(store, MemoryPolicy.defaults(), InstantSource.fixed(NOW));

    private Memory remember(Principal who, String content, String... tags) {
        return service.remember(who, Memory.Category.LEARNING, content, List.of(tags));
    }

    @Test
    void remembered_entry_belongs_to_the_caller_and_is_stored() {
        Memory memory = service.remember(ALICE, Memory.Category.DECISION, "Use WAL.", List.of("sqlite"));
        assertThat(memory.author()).isEqualTo("alice");
        assertThat(memory.createdAt()).isEqualTo(NOW);
        assertThat(memory.recallCount()).isZero();
        assertThat(memory.id()).startsWith("mem-");
        assertThat(store.find(memory.id())).contains(memory);
        assertThat(remember(ALICE, "Another.").id()).isNotEqualTo(memory.id());
    }

    @Test
    void content_up_to_8_kib_is_accepted_and_larger_content_is_too_large() {
        remember(ALICE, "x".repeat(8 * 1024));
        assertThatThrownBy(() -> remember(ALICE, "x".repeat(8 * 1024 + 1)))
                .isInstanceOf(HubException.TooLarge.class)
                .hasMessageContaining("content")
                .hasMessageContaining("8192");
        // The limit is in bytes: 4097 two-byte characters are 8194 bytes.
        assertThatThrownBy(() -> remember(ALICE, "\u00e9".repeat(4097))).isInstanceOf(HubException.TooLarge.class);
    }

    @Test
    void blank_content_or_a_missing_category_is_an_invalid_request() {
        assertThatThrownBy(() -> remember(ALICE, "  ")).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> service.remember(ALICE, null, "text", List.of()))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("discovery, decision, blocker, learning, pattern, warning");
    }

    @Test
    void tags_are_trimmed_lowercased_and_deduplicated() {
        Memory memory = remember(ALICE, "text", " Java ", "JAVA", "Build", "java");
        assertThat(memory.tags()).containsExactly("java", "build");
    }

    @Test
    void more_than_20_tags_or_a_tag_over_64_characters_is_too_large() {
        List<String> tags = new ArrayList<>(Collections.nCopies(20, "t"));
        remember(ALICE, "twenty is fine", tags.toArray(String[]::new));
        tags.add("t");
        assertThatThrownBy(() -> remember(ALICE, "text", tags.toArray(String[]::new)))
                .isInstanceOf(HubException.TooLarge.class);
        assertThatThrownBy(() -> remember(ALICE, "text", "x".repeat(65))).isInstanceOf(HubException.TooLarge.class);
        remember(ALICE, "text", "x".repeat(64));
    }

    @Test
    void blank_tags_or_tags_with_commas_are_refused() {
        assertThatThrownBy(() -> remember(ALICE, "text", " ")).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> remember(ALICE, "text", "a,b")).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> service.remember(ALICE, Memory.Category.LEARNING, "text", Arrays.asList("a", null)))
                .isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void viewers_cannot_remember_or_forget() {
        Memory memory = remember(ALICE, "text");
        assertThatThrownBy(() -> remember(VIEWER, "text")).isInstanceOf(HubException.Forbidden.class);
        assertThatThrownBy(() -> service.forget(VIEWER, memory.id())).isInstanceOf(HubException.Forbidden.class);
        assertThat(service.recall(null, null, null, null)).hasSize(1);
    }

    @Test
    void only_the_author_or_an_admin_may_forget_an_entry() {
        Memory mine = remember(ALICE, "mine");
        Memory other = remember(ALICE, "other");
        assertThatThrownBy(() -> service.forget(BOB, mine.id()))
                .isInstanceOf(HubException.Forbidden.class)
                .hasMessageContaining("alice");
        assertThat(service.forget(ALICE, mine.id())).isEqualTo(mine);
        assertThat(store.deletedBy).containsEntry(mine.id(), "alice");
        assertThat(service.forget(ADMIN, other.id())).isEqualTo(other);
        assertThat(store.deletedBy).containsEntry(other.id(), "admin");
    }

    @Test
    void forgetting_an_unknown_or_forgotten_entry_is_not_found() {
        Memory memory = remember(ALICE, "text");
        service.forget(ALICE, memory.id());
        assertThatThrownBy(() -> service.forget(ALICE, memory.id())).isInstanceOf(HubException.NotFound.class);
        assertThatThrownBy(() -> service.forget(ADMIN, "mem-nope")).isInstanceOf(HubException.NotFound.class);
        assertThatThrownBy(() -> service.get(memory.id())).isInstanceOf(HubException.NotFound.class);
    }

    @Test
    void recall_counts_each_returned_entry_and_returns_the_new_count() {
        Memory hit = remember(ALICE, "connection pool");
        Memory miss = remember(ALICE, "unrelated");
        List<Memory> found = service.recall("pool", List.of(), null, null);
        assertThat(found).extracting(Memory::id).containsExactly(hit.id());
        assertThat(found.getFirst().recallCount()).isEqualTo(1);
        assertThat(found.getFirst().lastRecalledAt()).isEqualTo(NOW);
        service.recall("pool", null, null, 5);
        assertThat(store.find(hit.id()).orElseThrow().recallCount()).isEqualTo(2);
        assertThat(store.find(miss.id()).orElseThrow().recallCount()).isZero();
        assertThat(service.get(hit.id()).recallCount())
                .as("get is not a recall")
                .isEqualTo(2);
    }

    @Test
    void recall_filters_by_tags_in_any_case_and_by_category() {
        Memory java = remember(ALICE, "text", "java");
        service.remember(ALICE, Memory.Category.WARNING, "careful", List.of("java"));
        assertThat(service.recall(null, List.of(" JAVA"), Memory.Category.LEARNING, null))
                .extracting(Memory::id)
                .containsExactly(java.id());
    }

    @Test
    void recall_limit_must_be_between_1_and_100_and_the_query_at_most_1024_characters() {
        assertThatThrownBy(() -> service.recall(null, null, null, 0)).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> service.recall(null, null, null, 101)).isInstanceOf(HubException.InvalidRequest.class);
        service.recall(null, null, null, 100);
        assertThatThrownBy(() -> service.recall("q".repeat(1025), null, null, null))
                .isInstanceOf(HubException.TooLarge.class);
    }

    @Test
    void category_names_parse_in_any_case_and_unknown_names_are_refused() {
        assertThat(Memory.Category.parse("category", " Warning ")).isEqualTo(Memory.Category.WARNING);
        assertThat(Memory.Category.parse("category", "")).isNull();
        assertThat(Memory.Category.parse("category", null)).isNull();
        assertThat(Memory.Category.DISCOVERY.label()).isEqualTo("discovery");
        assertThatThrownBy(() -> Memory.Category.parse("category", "rumour"))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("rumour");
    }

    @Test
    void writing_what_an_entry_already_says_merges_into_it_and_says_so() {
        MemoryService.Remembered first =
                service.write(ALICE, Memory.Category.DECISION, "Use WAL mode.", List.of("sqlite"));
        MemoryService.Remembered again =
                service.write(BOB, Memory.Category.DECISION, "use wal MODE", List.of("PERF", "sqlite"));
        assertThat(first.merged()).isFalse();
        assertThat(again.merged()).isTrue();
        assertThat(again.memory().id()).isEqualTo(first.memory().id());
        assertThat(again.memory().count()).isEqualTo(2);
        assertThat(again.memory().tags()).containsExactly("sqlite", "perf");
        assertThat(again.memory().authors()).containsExactly("alice", "bob");
        assertThat(store.live).hasSize(1);
    }

    @Test
    void consolidation_merges_near_duplicates_into_the_older_entry_and_decays_unrecalled_ones() {
        MutableTime time = new MutableTime(NOW);
        MemoryService svc = new MemoryService(
                store, MemoryPolicy.defaults().withConsolidation(java.time.Duration.ofDays(30), 100), time);
        Memory stale = svc.remember(ALICE, Memory.Category.LEARNING, "Nobody reads this.", List.of());
        Memory kept = svc.remember(ALICE, Memory.Category.LEARNING, "Somebody reads this.", List.of());
        svc.recall("somebody", List.of(), null, null);
        time.now = NOW.plus(java.time.Duration.ofDays(31));
        Memory older =
                svc.remember(ALICE, Memory.Category.PATTERN, "Retry the call with exponential backoff.", List.of());
        time.now = time.now.plusSeconds(1);
        Memory newer =
                svc.remember(BOB, Memory.Category.PATTERN, "Retry the calls with an exponential backoff!", List.of());
        Memory otherKind =
                svc.remember(BOB, Memory.Category.WARNING, "Retry the call with exponential backoff.", List.of());

        MemoryService.Consolidation pass = svc.consolidate();

        assertThat(pass.decayed()).isEqualTo(1);
        assertThat(pass.merged()).isEqualTo(1);
        assertThat(store.find(stale.id())).isEmpty();
        assertThat(store.find(kept.id())).isPresent();
        assertThat(store.find(newer.id())).isEmpty();
        assertThat(store.find(older.id()).orElseThrow().count()).isEqualTo(2);
        assertThat(store.find(older.id()).orElseThrow().authors()).containsExactly("alice", "bob");
        assertThat(store.find(otherKind.id()))
                .as("another category is never merged")
                .isPresent();
        assertThat(svc.consolidate()).isEqualTo(new MemoryService.Consolidation(3, 0, 0));
    }

    @Test
    void a_decay_age_of_zero_keeps_every_entry() {
        MemoryService svc = new MemoryService(
                store, MemoryPolicy.defaults().withConsolidation(java.time.Duration.ZERO, 100), () -> NOW);
        svc.remember(ALICE, Memory.Category.LEARNING, "Old.", List.of());
        store.live.replaceAll((id, m) -> new Memory(
                id, m.category(), m.content(), m.tags(), m.author(), NOW.minusSeconds(1_000_000_000L), 0, null));
        assertThat(svc.consolidate().decayed()).isZero();
        assertThat(store.live).hasSize(1);
    }

    private static final class MutableTime implements InstantSource {
        Instant now;

        MutableTime(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
