package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The memory contract: entries round-trip, search ranks by relevance, folds word forms and filters by tags and category,
 * soft-deleted entries disappear from every read, recalls are counted without losing increments, no query text can
 * fail, duplicates merge into one entry (also under a race), consolidation merges and decay removes atomically.
 */
public abstract class MemoryStoreContract extends StoresContract {
    private int next;

    private MemoryStore memories() {
        return stores.memories();
    }

    private Memory add(Memory.Category category, String content, String... tags) {
        Memory memory = Memory.fresh("mem-" + ++next, category, content, List.of(tags), "alice", clock.instant());
        assertThat(memories().add(memory)).as("add %s", content).contains(new MemoryStore.Added(memory, false));
        clock.advance(Duration.ofSeconds(1));
        return memory;
    }

    private Memory add(String content, String... tags) {
        return add(Memory.Category.DISCOVERY, content, tags);
    }

    private List<Memory> search(String query) {
        return memories().search(query, List.of(), null, 50);
    }

    @Test
    void entries_round_trip_and_survive_a_restart() throws Exception {
        Memory memory =
                add(Memory.Category.DECISION, "Use WAL mode; it lets readers run beside the writer.", "sqlite", "perf");
        assertThat(memories().find(memory.id())).contains(memory);
        restart();
        assertThat(memories().find(memory.id())).contains(memory);
        assertThat(search("readers")).containsExactly(memory);
        assertThat(memories().find("mem-none")).isEmpty();
    }

    @Test
    void an_id_can_be_added_only_once() {
        Memory first = add("first");
        Memory again = Memory.fresh(first.id(), Memory.Category.WARNING, "second", List.of(), "bob", clock.instant());
        assertThat(memories().add(again)).isEmpty();
        assertThat(memories().find(first.id())).contains(first);
    }

    @Test
    void an_entry_matching_more_query_words_ranks_above_one_matching_fewer() {
        Memory refused = add("The connection was refused by the proxy.");
        Memory both = add("The connection pool is exhausted under load.");
        Memory workers = add("A pool of workers drains the queue.");
        for (String filler : List.of("The build is green.", "Docs moved.", "Cache warmed.", "Tests pass.")) {
            add(filler);
        }

        List<Memory> found = search("connection pool");
        assertThat(found).hasSize(3);
        assertThat(found.getFirst()).isEqualTo(both);
        assertThat(found).containsExactlyInAnyOrder(both, refused, workers);
    }

    @Test
    void an_entry_matching_a_rarer_word_ranks_above_one_matching_a_common_word() {
        for (int i = 0; i < 6; i++) {
            add("The deploy step " + i + " finished.");
        }
        Memory zebra = add("A zebra crossing appeared in the fixtures.");
        List<Memory> found = search("deploy zebra");
        assertThat(found).hasSize(7);
        assertThat(found.getFirst()).isEqualTo(zebra);
    }

    @Test
    void query_words_match_in_any_case_and_the_last_word_as_a_prefix() {
        Memory memory = add("Connection strings live in the vault.");
        assertThat(search("CONNECTION")).containsExactly(memory);
        assertThat(search("vault conn")).containsExactly(memory);
        assertThat(search("no such words")).isEmpty();
    }

    @Test
    void tags_are_searchable_words_as_well_as_filters() {
        Memory tagged = add("Reindex after bulk loads.", "postgres");
        add("Nothing to see here.");
        assertThat(search("postgres")).containsExactly(tagged);
    }

    @Test
    void without_a_query_results_are_newest_first_up_to_the_limit() {
        Memory a = add("alpha");
        Memory b = add("beta");
        Memory c = add("gamma");
        assertThat(memories().search(null, List.of(), null, 10)).containsExactly(c, b, a);
        assertThat(memories().search("  ", List.of(), null, 2)).containsExactly(c, b);
        assertThat(search("alpha beta gamma")).hasSize(3);
        assertThat(memories().search("alpha beta gamma", List.of(), null, 1)).hasSize(1);
    }

    @Test
    void tag_filter_keeps_entries_that_carry_every_requested_tag() {
        Memory both = add("Both tags.", "java", "build");
        Memory javaOnly = add("Only java.", "java");
        add("Only build.", "build");
        add("No tags.");
        assertThat(memories().search(null, List.of("java"), null, 10)).containsExactly(javaOnly, both);
        assertThat(memories().search(null, List.of("java", "build"), null, 10)).containsExactly(both);
        assertThat(memories().search(null, List.of("build", "java", "build"), null, 10))
                .containsExactly(both);
        assertThat(memories().search(null, List.of("java", "rust"), null, 10)).isEmpty();
        assertThat(memories().search("tags", List.of("build"), null, 10)).containsExactly(both);
    }

    @Test
    void category_filter_keeps_only_that_category() {
        Memory warning = add(Memory.Category.WARNING, "Never force-push main.", "git");
        Memory decision = add(Memory.Category.DECISION, "Squash merges on main.", "git");
        assertThat(memories().search(null, List.of(), Memory.Category.WARNING, 10))
                .containsExactly(warning);
        assertThat(memories().search("main", List.of("git"), Memory.Category.DECISION, 10))
                .containsExactly(decision);
        assertThat(memories().search("main", List.of(), Memory.Category.BLOCKER, 10))
                .isEmpty();
    }

    @Test
    void deleted_entries_are_never_returned_again_even_after_a_restart() throws Exception {
        Memory gone = add("Flaky test in the payment module.", "flaky");
        Memory kept = add("Flaky network in CI.", "flaky");

        assertThat(memories().delete(gone.id(), "bob", clock.instant())).isTrue();
        assertThat(memories().delete(gone.id(), "bob", clock.instant())).isFalse();
        assertThat(memories().delete("mem-none", "bob", clock.instant())).isFalse();

        assertThat(memories().find(gone.id())).isEmpty();
        assertThat(search("flaky payment")).containsExactly(kept);
        assertThat(memories().search(null, List.of("flaky"), null, 10)).containsExactly(kept);
        assertThat(memories().recordRecall(List.of(gone.id()), clock.instant())).isZero();
        assertThat(memories().add(gone)).as("the deleted entry keeps its id").isEmpty();

        restart();
        assertThat(memories().find(gone.id())).isEmpty();
        assertThat(search("payment")).isEmpty();
        assertThat(memories().search(null, List.of(), null, 10)).containsExactly(kept);
    }

    @Test
    void recalls_are_counted_with_the_time_of_the_last_one() throws Exception {
        Memory a = add("alpha");
        Memory b = add("beta");
        Memory c = add("gamma");

        assertThat(memories().recordRecall(List.of(a.id(), b.id(), a.id(), "mem-none"), clock.instant()))
                .isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        assertThat(memories().recordRecall(List.of(a.id()), clock.instant())).isEqualTo(1);
        assertThat(memories().recordRecall(List.of(), clock.instant())).isZero();
        restart();

        Memory a2 = memories().find(a.id()).orElseThrow();
        assertThat(a2.recallCount()).isEqualTo(2);
        assertThat(a2.lastRecalledAt()).isEqualTo(clock.instant());
        assertThat(memories().find(b.id()).orElseThrow().recallCount()).isEqualTo(1);
        assertThat(memories().find(c.id()).orElseThrow().recallCount()).isZero();
        assertThat(memories().find(c.id()).orElseThrow().lastRecalledAt()).isNull();
    }

    @Test
    void concurrent_recalls_never_lose_an_increment() throws Exception {
        Memory memory = add("popular");
        int threads = 16;
        int each = 10;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        memories().recordRecall(List.of(memory.id()), clock.instant());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(memories().find(memory.id()).orElseThrow().recallCount()).isEqualTo(threads * each);
    }

    @Test
    void hostile_query_strings_neither_fail_nor_act_as_operators() {
        Memory pool = add("The connection pool leaks.");
        Memory other = add("Near the end of the sprint.", "content");
        List<String> hostile = List.of(
                "\"",
                "\"pool",
                "pool\"",
                "a\"b\"\"c",
                "(pool",
                "pool)",
                "()",
                "NEAR(pool leaks)",
                "NEAR",
                "NEAR/2",
                "*",
                "pool*",
                "*pool",
                "-pool",
                "pool -leaks",
                "content:pool",
                "tags:content",
                "{content tags}: pool",
                "^pool",
                "pool + leaks",
                "AND",
                "OR OR OR",
                "NOT pool",
                "pool NOT",
                "pool AND",
                "'; DROP TABLE memory; --",
                "",
                "   ",
                "\u0000\u0001\t\n",
                "e\u0301\u0301",
                "\u0301",
                "\uD83D\uDE80 rocket",
                "\uD800 lone surrogate",
                "pool".repeat(300),
                "w ".repeat(500));
        for (String query : hostile) {
            assertThatCode(() -> memories().search(query, List.of(), null, 10))
                    .as("query %s", query)
                    .doesNotThrowAnyException();
        }
        assertThat(search("NOT pool")).as("NOT is a word, not an operator").contains(pool);
        assertThat(search("-pool")).contains(pool);
        assertThat(search("pool -leaks")).containsExactly(pool);
        assertThat(search("content:pool")).containsExactlyInAnyOrder(pool, other);
        assertThat(search("NEAR(pool leaks)")).containsExactlyInAnyOrder(pool, other);
        assertThat(search("\"()*:-")).as("no words: no text filter").containsExactly(other, pool);
    }

    private MemoryStore.Added write(
            String id, Memory.Category category, String content, String author, String... tags) {
        return memories()
                .add(new Memory(id, category, content, List.of(tags), author, clock.instant(), 0, null, 1, null, null))
                .orElseThrow();
    }

    @Test
    void the_same_text_written_again_merges_into_the_first_entry() throws Exception {
        Memory first = add(Memory.Category.DECISION, "Use WAL mode; readers run beside the writer.", "sqlite");
        clock.advance(Duration.ofMinutes(5));
        Instant second = clock.instant();

        MemoryStore.Added again = write(
                "mem-again",
                Memory.Category.DECISION,
                "  use wal MODE -- Readers RUN beside the writer!! ",
                "bob",
                "perf",
                "sqlite");

        assertThat(again.merged()).isTrue();
        Memory merged = again.memory();
        assertThat(merged.id()).isEqualTo(first.id());
        assertThat(merged.content()).isEqualTo(first.content());
        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.tags()).containsExactly("sqlite", "perf");
        assertThat(merged.author()).isEqualTo("alice");
        assertThat(merged.authors()).containsExactly("alice", "bob");
        assertThat(merged.createdAt()).isEqualTo(first.createdAt());
        assertThat(merged.updatedAt()).isEqualTo(second);
        assertThat(memories().find(first.id())).contains(merged);
        assertThat(memories().find("mem-again")).isEmpty();
        assertThat(memories().search(null, List.of(), null, 10)).containsExactly(merged);
        assertThat(search("perf")).as("a merged tag is searchable").containsExactly(merged);
        assertThat(memories().search(null, List.of("perf"), null, 10)).containsExactly(merged);

        restart();
        assertThat(memories().find(first.id())).contains(merged);
        assertThat(write("mem-third", Memory.Category.DECISION, "use WAL mode, readers run beside the writer", "carol")
                        .memory()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void word_forms_are_folded_but_another_category_or_other_words_make_a_new_entry() {
        Memory first = add(Memory.Category.LEARNING, "Caching the tokens saves calls.");
        assertThat(write("mem-forms", Memory.Category.LEARNING, "cached the token, saving calls", "bob")
                        .merged())
                .isTrue();
        assertThat(write("mem-cat", Memory.Category.WARNING, "Caching the tokens saves calls.", "bob")
                        .merged())
                .isFalse();
        assertThat(write("mem-more", Memory.Category.LEARNING, "Caching the tokens saves many calls.", "bob")
                        .merged())
                .isFalse();
        assertThat(memories().find(first.id()).orElseThrow().count()).isEqualTo(2);
        assertThat(memories().search(null, List.of(), null, 10)).hasSize(3);
    }

    @Test
    void concurrent_writes_of_one_text_make_one_entry_that_counts_every_write() throws Exception {
        int threads = 32;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MemoryStore.Added>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                String author = "agent-" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    return write("mem-race-" + author, Memory.Category.PATTERN, "Retry with backoff.", author, author);
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<MemoryStore.Added> f : done) {
                created += f.get().merged() ? 0 : 1;
            }
            assertThat(created).as("exactly one write creates the entry").isEqualTo(1);
        }
        List<Memory> live = memories().search(null, List.of(), null, 50);
        assertThat(live).hasSize(1);
        Memory one = live.getFirst();
        assertThat(one.count()).isEqualTo(threads);
        assertThat(one.authors()).hasSize(Math.min(threads, Memory.MAX_AUTHORS));
        assertThat(one.tags()).hasSize(threads);
        assertThat(search("backoff")).containsExactly(one);
    }

    @Test
    void merge_folds_a_duplicate_into_the_other_entry_once() throws Exception {
        Memory into = add(Memory.Category.WARNING, "Never force-push the main branch.", "git");
        Memory from = add(Memory.Category.WARNING, "Never ever force-push the main branch.", "zanzibar");
        memories().recordRecall(List.of(into.id(), from.id()), clock.instant());
        clock.advance(Duration.ofHours(1));

        Memory merged = memories().merge(into.id(), from.id(), clock.instant()).orElseThrow();
        assertThat(merged.id()).isEqualTo(into.id());
        assertThat(merged.content()).isEqualTo(into.content());
        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.recallCount()).isEqualTo(2);
        assertThat(merged.tags()).containsExactly("git", "zanzibar");
        assertThat(merged.updatedAt()).isEqualTo(clock.instant());
        assertThat(memories().find(from.id())).isEmpty();
        assertThat(memories().find(into.id())).contains(merged);
        assertThat(search("zanzibar")).containsExactly(merged);

        assertThat(memories().merge(into.id(), from.id(), clock.instant())).isEmpty();
        assertThat(memories().merge(into.id(), into.id(), clock.instant())).isEmpty();
        assertThat(memories().merge("mem-none", into.id(), clock.instant())).isEmpty();
        restart();
        assertThat(memories().search(null, List.of(), null, 10)).containsExactly(merged);
    }

    @Test
    void decay_removes_only_entries_never_recalled_and_not_written_since_the_cutoff_oldest_first() throws Exception {
        Memory oldest = add("Oldest unread note.");
        Memory recalled = add("Old but recalled note.");
        Memory old = add("Old unread note.");
        Memory rewritten = add("Old but written again.");
        memories().recordRecall(List.of(recalled.id()), clock.instant());
        clock.advance(Duration.ofDays(40));
        assertThat(write("mem-re", Memory.Category.DISCOVERY, "old but written again", "bob")
                        .merged())
                .isTrue();
        Memory fresh = add("Fresh note.");
        Instant cutoff = clock.instant().minus(Duration.ofDays(30));

        assertThat(memories().decay(cutoff, 1, clock.instant())).containsExactly(oldest.id());
        assertThat(memories().decay(cutoff, 10, clock.instant())).containsExactly(old.id());
        assertThat(memories().decay(cutoff, 10, clock.instant())).isEmpty();

        assertThat(memories().find(oldest.id())).isEmpty();
        assertThat(search("unread")).isEmpty();
        assertThat(memories().search(null, List.of(), null, 10))
                .extracting(Memory::id)
                .containsExactlyInAnyOrder(recalled.id(), rewritten.id(), fresh.id());
        restart();
        assertThat(write("mem-back", Memory.Category.DISCOVERY, "Oldest unread note.", "bob")
                        .merged())
                .as("a decayed text can be written anew")
                .isFalse();
    }

    @Test
    void search_finds_other_forms_of_the_query_words() {
        Memory cached = add("Tokens are cached for five minutes.");
        Memory connections = add("The connections were refused.");
        add("Unrelated words here.");
        assertThat(search("caching")).containsExactly(cached);
        assertThat(search("token")).containsExactly(cached);
        assertThat(search("connection refusing")).containsExactly(connections);
        assertThat(search("Connected")).containsExactly(connections);
    }
}
