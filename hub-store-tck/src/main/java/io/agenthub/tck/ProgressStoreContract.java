package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Progress;
import io.agenthub.agent.ProgressStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress contract: marks only move forward, a stall is marked once, and progress clears it. */
public abstract class ProgressStoreContract extends StoresContract {
    private ProgressStore progress() {
        return stores.progress();
    }

    @Test
    void progress_only_moves_forward() {
        Instant first = clock.instant();
        assertThat(progress().progress("a1", first)).isEmpty();
        progress().progress("a1", first.minusSeconds(30));
        assertThat(progress().find("a1")).contains(new Progress("a1", first, null));
        clock.advance(Duration.ofMinutes(1));
        progress().progress("a1", clock.instant());
        assertThat(progress().find("a1").orElseThrow().lastProgressAt()).isEqualTo(clock.instant());
        assertThat(progress().find("nobody")).isEmpty();
    }

    @Test
    void a_stall_is_marked_once_and_progress_clears_it() {
        Instant start = clock.instant();
        progress().progress("busy", start);
        clock.advance(Duration.ofMinutes(6));
        Instant quietSince = clock.instant().minus(Duration.ofMinutes(5));

        assertThat(progress().markStalled("busy", quietSince, clock.instant())).isTrue();
        assertThat(progress().markStalled("busy", quietSince, clock.instant()))
                .as("already marked")
                .isFalse();
        assertThat(progress().find("busy").orElseThrow().stalledSince()).isEqualTo(clock.instant());

        Instant stalledAt = clock.instant();
        clock.advance(Duration.ofSeconds(20));
        assertThat(progress().progress("busy", clock.instant())).contains(stalledAt);
        assertThat(progress().progress("busy", clock.instant()))
                .as("only the first progress reports the recovery")
                .isEmpty();
        assertThat(progress().find("busy").orElseThrow().stalled()).isFalse();
    }

    @Test
    void recent_progress_refuses_the_mark() {
        progress().progress("fresh", clock.instant());
        Instant quietSince = clock.instant().minusSeconds(1);
        assertThat(progress().markStalled("fresh", quietSince, clock.instant())).isFalse();
        assertThat(progress().find("fresh").orElseThrow().stalled()).isFalse();
    }

    @Test
    void an_agent_without_a_record_counts_as_never_having_made_progress() {
        assertThat(progress().markStalled("silent", clock.instant(), clock.instant()))
                .isTrue();
        assertThat(progress().find("silent")).contains(new Progress("silent", null, clock.instant()));
        assertThat(progress().list()).extracting(Progress::agentId).containsExactly("silent");
    }

    @Test
    void of_32_concurrent_detectors_exactly_one_marks_the_stall() throws Exception {
        progress().progress("a1", clock.instant());
        clock.advance(Duration.ofMinutes(10));
        Instant quietSince = clock.instant().minus(Duration.ofMinutes(5));
        List<Boolean> marked =
                Concurrently.run(32, i -> () -> progress().markStalled("a1", quietSince, clock.instant()));
        assertThat(marked).containsOnlyOnce(true);
    }

    @Test
    void marks_survive_a_restart() throws Exception {
        progress().progress("a1", clock.instant());
        progress().markStalled("a2", clock.instant(), clock.instant());
        restart();
        assertThat(progress().list())
                .containsExactly(new Progress("a1", clock.instant(), null), new Progress("a2", null, clock.instant()));
    }
}
