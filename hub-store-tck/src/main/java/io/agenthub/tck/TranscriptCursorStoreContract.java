package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.usage.TranscriptCursor;
import io.agenthub.usage.TranscriptCursorStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transcript cursor contract: a compare-and-set per agent and session, which one of racing callers wins. */
public abstract class TranscriptCursorStoreContract extends StoresContract {
    private static final Duration KEEP = Duration.ofDays(30);

    private TranscriptCursorStore cursors() {
        return stores.transcriptCursors();
    }

    @Test
    void a_cursor_moves_only_from_the_expected_position() {
        TranscriptCursor first = new TranscriptCursor(120, "msg_1");
        assertThat(cursors().find("a1", "s1")).isEmpty();
        assertThat(cursors().advance("a1", "s1", TranscriptCursor.START, first, clock.instant(), KEEP))
                .isTrue();
        assertThat(cursors().find("a1", "s1")).contains(first);

        assertThat(cursors()
                        .advance(
                                "a1",
                                "s1",
                                TranscriptCursor.START,
                                new TranscriptCursor(90, "x"),
                                clock.instant(),
                                KEEP))
                .as("stale expectation")
                .isFalse();
        TranscriptCursor second = new TranscriptCursor(300, "msg_2");
        assertThat(cursors().advance("a1", "s1", first, second, clock.instant(), KEEP))
                .isTrue();
        assertThat(cursors().find("a1", "s1")).contains(second);
    }

    @Test
    void agents_and_sessions_keep_separate_cursors() {
        cursors().advance("a1", "s1", TranscriptCursor.START, new TranscriptCursor(10, "m"), clock.instant(), KEEP);
        assertThat(cursors().find("a1", "s2")).isEmpty();
        assertThat(cursors().find("a2", "s1")).isEmpty();
        assertThat(cursors()
                        .advance(
                                "a2",
                                "s1",
                                TranscriptCursor.START,
                                new TranscriptCursor(5, "n"),
                                clock.instant(),
                                KEEP))
                .isTrue();
    }

    @Test
    void of_racing_callers_exactly_one_moves_the_cursor() throws Exception {
        List<Boolean> moved = Concurrently.run(
                32,
                i -> () -> cursors()
                        .advance(
                                "racer",
                                "s",
                                TranscriptCursor.START,
                                new TranscriptCursor(100 + i, "m" + i),
                                clock.instant(),
                                KEEP));
        assertThat(moved).containsOnlyOnce(true);
    }
}
