package io.agenthub.store.redis;

import io.agenthub.drill.DrillRun;
import io.agenthub.drill.DrillStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Optional;

/** Drill runs in Redis: JSON by id, indexed by start time; saving trims to the newest in the same script. */
final class RedisDrillStore implements DrillStore {
    private final RedisRunLog<DrillRun> log;

    RedisDrillStore(RedisLink redis, RedisKeys keys) {
        this.log = new RedisRunLog<>(
                redis, keys.drillRuns(), keys.drillByStart(), DrillRun.class, DrillRun::id, DrillRun::startedAt);
    }

    @Override
    public void save(DrillRun run, int keep) {
        log.save(run, keep);
    }

    @Override
    public Optional<DrillRun> latest() {
        return log.latest();
    }

    @Override
    public List<DrillRun> recent(int limit) {
        return log.recent(limit);
    }

    /** Drill runs in snapshots. */
    static final RedisSnapshotPart SNAPSHOT = RedisRunLog.snapshot(
            SnapshotRecord.DrillRow.class,
            RedisKeys::drillRuns,
            RedisKeys::drillByStart,
            DrillRun.class,
            DrillRun::id,
            DrillRun::startedAt,
            SnapshotRecord.DrillRow::new,
            SnapshotRecord.DrillRow::run);
}
