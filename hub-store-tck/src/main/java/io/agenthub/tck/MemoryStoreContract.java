package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.agenthub.memory.Memory;
import io.agenthub.memory.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The memory contract: entries round-trip, search ranks by relevance and filters by tags and category, soft-deleted
 * entries disappear from every read, recalls are counted without losing increments, and no query text can fail.
 */
public abstract class MemoryStoreContract extends StoresContract {
    private int next;

    private MemoryStore memories() {
        return stores.memories();
    }

    private Memory add(Memory.Category category, String content, String... tags) {
        Memory memory = Memory.fresh("mem-" + ++next, category, content, List.of(tags), "alice", clock.instant());
        assertThat(memories().add(memory)).as("add %s", content).isTrue();
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
        assertThat(memories().add(again)).isFalse();
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
        assertThat(memories().add(gone)).as("the deleted entry keeps its id").isFalse();

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
}
