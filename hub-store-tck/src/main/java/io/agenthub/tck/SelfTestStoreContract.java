package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The self-test results contract: the newest runs are kept, and the latest is found by start time. */
public abstract class SelfTestStoreContract extends StoresContract {
    private SelfTestRun run(String id) {
        return new SelfTestRun(
                id,
                "schedule",
                "node-1",
                clock.instant(),
                1234,
                1,
                1,
                1,
                List.of(
                        new CheckResult("lease-acquire", "leases", CheckResult.Status.PASS, 3, "granted"),
                        new CheckResult("dm", "messages", CheckResult.Status.FAIL, 4, "lost"),
                        new CheckResult("redis-only", "store", CheckResult.Status.SKIP, 0, "not here")));
    }

    @Test
    void runs_round_trip_and_only_the_newest_are_kept() throws Exception {
        assertThat(stores.selfTests().latest()).isEmpty();
        SelfTestRun last = null;
        for (int i = 1; i <= 4; i++) {
            last = run("run-" + i);
            stores.selfTests().save(last, 3);
            clock.advance(Duration.ofMinutes(5));
        }
        restart();
        assertThat(stores.selfTests().latest()).contains(last);
        assertThat(stores.selfTests().recent(10))
                .extracting(SelfTestRun::id)
                .containsExactly("run-4", "run-3", "run-2");
        SelfTestRun latest = stores.selfTests().latest().orElseThrow();
        assertThat(latest.results()).hasSize(3);
        assertThat(latest.failures()).containsExactly("dm");
        assertThat(latest.passRate()).isEqualTo(0.5);
    }
}
