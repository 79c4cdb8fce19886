package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.drill.DrillRun;
import io.agenthub.drill.DrillStep;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drill history contract: runs round-trip with their steps and score, and only the newest are kept. */
public abstract class DrillStoreContract extends StoresContract {
    private DrillRun run(String id) {
        return DrillRun.of(
                id,
                "schedule",
                "node-1",
                clock.instant(),
                4321,
                List.of(
                        DrillStep.scored("register", DrillStep.Status.PASS, 12, 2000, "3 agents"),
                        DrillStep.scored("claim-conflict", DrillStep.Status.PASS, 2500, 2000, "slow"),
                        DrillStep.scored("kill-handoff", DrillStep.Status.FAIL, 40, 2000, "no handoff"),
                        DrillStep.scored("tier-live", DrillStep.Status.SKIP, 0, 2000, "not asked")));
    }

    @Test
    void runs_round_trip_and_only_the_newest_are_kept() throws Exception {
        assertThat(stores.drills().latest()).isEmpty();
        DrillRun last = null;
        for (int i = 1; i <= 4; i++) {
            last = run("drill-" + i);
            stores.drills().save(last, 3);
            clock.advance(Duration.ofDays(7));
        }
        restart();
        assertThat(stores.drills().latest()).contains(last);
        assertThat(stores.drills().recent(10))
                .extracting(DrillRun::id)
                .containsExactly("drill-4", "drill-3", "drill-2");
        assertThat(stores.drills().recent(1)).extracting(DrillRun::id).containsExactly("drill-4");
        DrillRun latest = stores.drills().latest().orElseThrow();
        assertThat(latest.steps()).hasSize(4);
        assertThat(latest.failures()).containsExactly("kill-handoff");
        assertThat(latest.ok()).isFalse();
        assertThat(latest.score()).isEqualTo(50);
        assertThat(latest.steps().get(1).points()).isEqualTo(DrillStep.FULL / 2);
    }

    @Test
    void drills_and_self_tests_keep_separate_histories() {
        stores.drills().save(run("drill-a"), 5);
        assertThat(stores.selfTests().latest()).isEmpty();
        assertThat(stores.drills().recent(5)).hasSize(1);
    }
}
