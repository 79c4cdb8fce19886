package io.agenthub.store.sqlite;

import io.agenthub.drill.DrillRun;
import io.agenthub.drill.DrillStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Optional;

/** Drill runs in SQLite, each as one JSON document. */
final class SqliteDrillStore implements DrillStore {
    static final SqliteRunLog<DrillRun> LOG =
            new SqliteRunLog<>("drill_run", DrillRun.class, DrillRun::id, DrillRun::startedAt);

    private final SqliteDatabase db;

    SqliteDrillStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void save(DrillRun run, int keep) {
        LOG.save(db, run, keep);
    }

    @Override
    public Optional<DrillRun> latest() {
        return LOG.latest(db);
    }

    @Override
    public List<DrillRun> recent(int limit) {
        return LOG.recent(db, limit);
    }

    /** Drill runs in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("drill_run")
            .record(
                    SnapshotRecord.DrillRow.class,
                    (c, sink) -> LOG.all(c).forEach(r -> sink.accept(new SnapshotRecord.DrillRow(r))),
                    (c, d) -> LOG.insert(c, d.run()));
}
