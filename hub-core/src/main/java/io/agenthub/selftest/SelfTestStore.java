package io.agenthub.selftest;

import java.util.List;
import java.util.Optional;

/** Storage SPI for self-test results, shared by all hub nodes so that alerts and status see the latest run anywhere. */
public interface SelfTestStore {
    /** Stores a run, then deletes all but the newest {@code keep} runs (by start time). Atomic. */
    void save(SelfTestRun run, int keep);

    /** The run that started last, if any. */
    Optional<SelfTestRun> latest();

    /** Runs, newest first, at most {@code limit}. */
    List<SelfTestRun> recent(int limit);
}
