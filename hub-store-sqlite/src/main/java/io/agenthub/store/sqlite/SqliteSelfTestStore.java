package io.agenthub.store.sqlite;

import io.agenthub.selftest.SelfTestRun;
import io.agenthub.selftest.SelfTestStore;
import io.agenthub.snapshot.SnapshotRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Self-test runs in SQLite, each as one JSON document. */
final class SqliteSelfTestStore implements SelfTestStore {
    static final SqliteRunLog<SelfTestRun> LOG =
            new SqliteRunLog<>("self_test_run", SelfTestRun.class, SelfTestRun::id, SelfTestRun::startedAt);

    private final SqliteDatabase db;

    SqliteSelfTestStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void save(SelfTestRun run, int keep) {
        LOG.save(db, run, keep);
    }

    static void insert(Connection c, SelfTestRun run) throws SQLException {
        LOG.insert(c, run);
    }

    @Override
    public Optional<SelfTestRun> latest() {
        return LOG.latest(db);
    }

    @Override
    public List<SelfTestRun> recent(int limit) {
        return LOG.recent(db, limit);
    }

    /** Self-test runs in snapshots. */
    static final SqliteSnapshotPart SNAPSHOT = SqliteSnapshotPart.of("self_test_run")
            .record(
                    SnapshotRecord.SelfTestRow.class,
                    (c, sink) -> LOG.all(c).forEach(r -> sink.accept(new SnapshotRecord.SelfTestRow(r))),
                    (c, s) -> insert(c, s.run()));
}
