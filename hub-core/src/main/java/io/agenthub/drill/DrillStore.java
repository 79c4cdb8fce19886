package io.agenthub.drill;

import java.util.List;
import java.util.Optional;

/** Storage SPI for the drill's history, shared by all hub nodes so that alerts and the schedule see every run. */
public interface DrillStore {
    /** Stores a run, then deletes all but the newest {@code keep} runs (by start time). Atomic. */
    void save(DrillRun run, int keep);

    /** The run that started last, if any. */
    Optional<DrillRun> latest();

    /** Runs, newest first, at most {@code limit}. */
    List<DrillRun> recent(int limit);
}
