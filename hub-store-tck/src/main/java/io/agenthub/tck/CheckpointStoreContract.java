package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.checkpoint.Checkpoint;
import io.agenthub.checkpoint.CheckpointData;
import io.agenthub.checkpoint.CheckpointStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint contract: per-agent versions that start at 1, grow by one, survive restarts and are distinct under
 * concurrent saves; pruning keeps the newest versions; reads are newest first.
 */
public abstract class CheckpointStoreContract extends StoresContract {
    private static final int KEEP = 20;

    private CheckpointStore checkpoints() {
        return stores.checkpoints();
    }

    private static CheckpointData data(String task) {
        return new CheckpointData(
                task,
                "halfway through " + task,
                List.of("use records", "no DI framework"),
                List.of("waiting for review"),
                List.of("write tests", "update docs"),
                List.of("src/Main.java", "docs/\u00e9t\u00e9.md"),
                "Summary: \u2728 resumed after a context reset.\nLine two.",
                123_456);
    }

    private Checkpoint save(String agent, String task) {
        Checkpoint saved = checkpoints().save(agent, data(task), clock.instant(), KEEP);
        clock.advance(Duration.ofSeconds(1));
        return saved;
    }

    @Test
    void first_save_is_version_one_and_round_trips_every_field() {
        Checkpoint saved = checkpoints().save("alice", data("task-1"), clock.instant(), KEEP);
        assertThat(saved).isEqualTo(Checkpoint.of("alice", 1, data("task-1"), clock.instant()));
        assertThat(checkpoints().latest("alice")).contains(saved);
        assertThat(checkpoints().version("alice", 1)).contains(saved);
    }

    @Test
    void empty_fields_round_trip() {
        CheckpointData empty = new CheckpointData(null, null, null, null, null, null, null, 0);
        Checkpoint saved = checkpoints().save("alice", empty, clock.instant(), KEEP);
        assertThat(checkpoints().latest("alice")).contains(saved);
        assertThat(saved.decisions()).isEmpty();
        assertThat(saved.context()).isEmpty();
    }

    @Test
    void versions_grow_by_one_per_agent_independently() {
        assertThat(save("alice", "a").version()).isEqualTo(1);
        assertThat(save("alice", "b").version()).isEqualTo(2);
        assertThat(save("bob", "x").version()).isEqualTo(1);
        assertThat(save("alice", "c").version()).isEqualTo(3);
        assertThat(checkpoints().latest("alice").orElseThrow().currentTask()).isEqualTo("c");
        assertThat(checkpoints().latest("bob").orElseThrow().currentTask()).isEqualTo("x");
    }

    @Test
    void versions_survive_a_restart_and_keep_counting() throws Exception {
        save("alice", "a");
        Checkpoint second = save("alice", "b");
        restart();
        assertThat(checkpoints().latest("alice")).contains(second);
        assertThat(save("alice", "c").version()).isEqualTo(3);
    }

    @Test
    void versions_are_listed_newest_first_up_to_the_limit() {
        for (int i = 1; i <= 5; i++) {
            save("alice", "t" + i);
        }
        assertThat(checkpoints().versions("alice", 10))
                .extracting(Checkpoint::version)
                .containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(checkpoints().versions("alice", 2))
                .extracting(Checkpoint::currentTask)
                .containsExactly("t5", "t4");
    }

    @Test
    void an_agent_without_checkpoints_has_none() {
        save("alice", "a");
        assertThat(checkpoints().latest("bob")).isEmpty();
        assertThat(checkpoints().versions("bob", 10)).isEmpty();
        assertThat(checkpoints().version("bob", 1)).isEmpty();
        assertThat(checkpoints().version("alice", 2)).isEmpty();
    }

    @Test
    void saving_prunes_the_agent_to_its_newest_versions_only() {
        save("bob", "other");
        for (int i = 1; i <= 7; i++) {
            checkpoints().save("alice", data("t" + i), clock.instant(), 3);
        }
        assertThat(checkpoints().versions("alice", 10))
                .extracting(Checkpoint::version)
                .containsExactly(7L, 6L, 5L);
        assertThat(checkpoints().version("alice", 4)).isEmpty();
        assertThat(checkpoints().version("alice", 5)).isPresent();
        assertThat(checkpoints().latest("bob")).isPresent();

        assertThat(checkpoints().save("alice", data("t8"), clock.instant(), 1).version())
                .isEqualTo(8);
        assertThat(checkpoints().versions("alice", 10))
                .extracting(Checkpoint::version)
                .containsExactly(8L);
    }

    @Test
    void sixteen_concurrent_saves_for_one_agent_get_distinct_consecutive_versions() throws Exception {
        save("alice", "before");
        List<Long> versions = saveConcurrently("alice", 16, 100);
        assertThat(versions)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(2, 17).boxed().toList());
        assertThat(checkpoints().versions("alice", 100)).hasSize(17);
    }

    @Test
    void concurrent_saves_that_prune_keep_exactly_the_newest_versions() throws Exception {
        List<Long> versions = saveConcurrently("alice", 16, 4);
        assertThat(versions)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, 16).boxed().toList());
        assertThat(checkpoints().versions("alice", 100))
                .extracting(Checkpoint::version)
                .containsExactly(16L, 15L, 14L, 13L);
    }

    private List<Long> saveConcurrently(String agent, int threads, int keep) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Checkpoint>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                String task = "task-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return checkpoints().save(agent, data(task), clock.instant(), keep);
                }));
            }
            start.countDown();
            List<Long> versions = new ArrayList<>();
            for (Future<Checkpoint> f : futures) {
                versions.add(f.get().version());
            }
            return versions;
        }
    }
}
