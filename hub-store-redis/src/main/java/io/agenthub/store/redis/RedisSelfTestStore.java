package io.agenthub.store.redis;

import io.agenthub.selftest.SelfTestRun;
import io.agenthub.selftest.SelfTestStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Optional;

/** Self-test runs in Redis: JSON by id, indexed by start time; saving trims to the newest in the same script. */
final class RedisSelfTestStore implements SelfTestStore {
    private final RedisRunLog<SelfTestRun> log;

    RedisSelfTestStore(RedisLink redis, RedisKeys keys) {
        this.log = new RedisRunLog<>(
                redis,
                keys.selfTestRuns(),
                keys.selfTestByStart(),
                SelfTestRun.class,
                SelfTestRun::id,
                SelfTestRun::startedAt);
    }

    @Override
    public void save(SelfTestRun run, int keep) {
        log.save(run, keep);
    }

    @Override
    public Optional<SelfTestRun> latest() {
        return log.latest();
    }

    @Override
    public List<SelfTestRun> recent(int limit) {
        return log.recent(limit);
    }

    /** Self-test runs in snapshots. */
    static final RedisSnapshotPart SNAPSHOT = RedisRunLog.snapshot(
            SnapshotRecord.SelfTestRow.class,
            RedisKeys::selfTestRuns,
            RedisKeys::selfTestByStart,
            SelfTestRun.class,
            SelfTestRun::id,
            SelfTestRun::startedAt,
            SnapshotRecord.SelfTestRow::new,
            SnapshotRecord.SelfTestRow::run);
}
