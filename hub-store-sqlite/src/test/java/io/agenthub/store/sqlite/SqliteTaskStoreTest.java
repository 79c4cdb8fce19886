package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.Stores;
import io.agenthub.task.NewTask;
import io.agenthub.task.TaskStore;
import io.agenthub.tck.TaskStoreContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteTaskStoreTest extends TaskStoreContract {
    private static final TaskStore.Claimant BOB = new TaskStore.Claimant("bob", "default", List.of(), "");

    @Override
    protected Stores openStores() throws Exception {
        return SqliteFixture.fresh();
    }

    @Override
    protected Stores reopen(Stores old) {
        return SqliteFixture.reopen(old);
    }

    private long writes() {
        return ((SqliteStores) stores).database().writesSubmitted();
    }

    private TaskStore.ClaimResult claim() {
        return stores.tasks().claim(BOB, Duration.ofSeconds(60), clock.instant(), 100);
    }

    private void create(String title, String pool) {
        stores.tasks()
                .create(
                        new NewTask(title, "", 0, null, pool, null, null, null, null, null, 3),
                        "creator",
                        clock.instant(),
                        1000);
    }

    @Test
    void a_claim_with_nothing_to_claim_stays_off_the_writer() {
        long before = writes();
        assertThat(claim().claimed()).isNull();
        create("elsewhere", "other");
        long afterCreate = writes();
        assertThat(claim().claimed()).isNull();
        assertThat(writes())
                .as("idle claims (an empty pool, work only in another pool) take no write")
                .isEqualTo(afterCreate)
                .isEqualTo(before + 1);

        create("mine", "default");
        assertThat(claim().claimed()).isNotNull();
        assertThat(writes()).isEqualTo(afterCreate + 2);
    }

    @Test
    void an_expired_claim_in_another_pool_or_a_due_retry_still_goes_to_the_writer() {
        create("elsewhere", "other");
        TaskStore.Claimant carol = new TaskStore.Claimant("carol", "other", List.of(), "");
        assertThat(stores.tasks()
                        .claim(carol, Duration.ofSeconds(60), clock.instant(), 100)
                        .claimed())
                .isNotNull();
        clock.advance(Duration.ofSeconds(61));
        long before = writes();
        assertThat(claim().claimed()).isNull();
        assertThat(writes()).as("the expired claim is requeued lazily").isEqualTo(before + 1);
        assertThat(stores.tasks().claimedBy("carol")).isEmpty();
    }
}
