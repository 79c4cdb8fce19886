package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.config.HubConfig;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.ops.OpsTasks;
import io.agenthub.server.services.Services;
import io.agenthub.store.Stores;
import io.agenthub.store.sqlite.SqliteStores;
import io.agenthub.task.NewTask;
import io.agenthub.task.Task;
import io.agenthub.task.TaskState;
import io.agenthub.task.TaskStore;
import io.agenthub.tck.MutableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The janitor's retention pass ({@link OpsTasks#retention}) forgets finished tasks once {@code task-retention} has
 * passed since they ended, and never a task still queued. (What the store does is the contract suites' business;
 * this checks the setting and the schedule's work.)
 */
class TaskRetentionTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T09:00:00Z"));
    private Stores stores;

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private static NewTask spec(String title) {
        return new NewTask(title, "", 0, List.of(), "default", List.of(), "", List.of(), List.of(), null, 3);
    }

    private Task done(TaskStore tasks, String title) {
        tasks.create(spec(title), "creator", clock.instant(), 100_000);
        Task c = tasks.claim(
                        new TaskStore.Claimant("worker", "default", List.of(), ""),
                        Duration.ofMinutes(5),
                        clock.instant(),
                        100)
                .claimed();
        return tasks.complete(c.id(), "worker", c.claim().token(), "ok", clock.instant())
                .task();
    }

    @Test
    void finished_tasks_go_after_task_retention_and_waiting_ones_stay() throws Exception {
        stores = SqliteStores.open(Files.createTempDirectory("task-retention"), false);
        HubConfig config = HubConfig.of(Map.of("task-retention", "1h"));
        Services hub = new Services(
                stores, config, clock, "retention-test-admin-token-01234", new HubMetrics(false), List.of());
        OpsTasks ops = hub.opsTasks(config);
        TaskStore tasks = stores.tasks();
        Task finished = done(tasks, "finished");
        Task waiting =
                ((TaskStore.Created.Stored) tasks.create(spec("waiting"), "creator", clock.instant(), 100)).task();

        clock.advance(Duration.ofMinutes(59));
        ops.retention();
        assertThat(tasks.find(finished.id())).isPresent();

        clock.advance(Duration.ofMinutes(2));
        ops.retention();
        assertThat(tasks.find(finished.id())).isEmpty();
        assertThat(tasks.history(finished.id())).isEmpty();
        assertThat(tasks.find(waiting.id()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }
}
