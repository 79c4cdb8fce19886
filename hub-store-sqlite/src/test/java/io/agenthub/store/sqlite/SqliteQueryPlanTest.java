package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.LeaseStore;
import io.agenthub.store.Stores;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reads on hot paths cost what is active, not what happened: their plans search an index that holds active rows
 * only. A plan that goes back to an index of all rows (or a scan) would make them slow down as the day's history grows.
 */
class SqliteQueryPlanTest {
    private static List<String> plan(SqliteDatabase db, String sql) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                int n = ps.getParameterMetaData().getParameterCount();
                for (int i = 1; i <= n; i++) {
                    ps.setString(i, "x");
                }
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString("detail"));
                    }
                }
                return out;
            }
        });
    }

    /** The plan's first step searches {@code index} (covering or not); a scan or another index fails. */
    private static void searches(SqliteDatabase db, String sql, String index) {
        assertThat(plan(db, sql).getFirst()).as(sql).matches("SEARCH \\w+ USING (COVERING )?INDEX \\Q" + index + "\\E");
    }

    @Test
    void active_lease_reads_search_the_indexes_of_unreleased_grants() throws Exception {
        try (SqliteDatabase db =
                new SqliteDatabase(Files.createTempDirectory("plan").resolve("hub.db"), false, 1)) {
            searches(db, SqliteLeaseStore.COUNT_HELD, "lease_held (holder=? AND expires_at>?)");
            searches(db, SqliteLeaseStore.HELD_BY, "lease_held (holder=? AND expires_at>?)");
            searches(db, SqliteLeaseStore.ACTIVE, "lease_live (expires_at>?)");
            searches(db, SqliteTaskStore.QUEUE, "task_queued (pool=?)");
            searches(db, SqliteTaskStore.DEPTH, "task_queued (pool=?)");
            searches(db, SqliteHandoffStore.OPEN_BY_DEDUPE_KEY, "handoff_dedupe (dedupe_key=?)");
        }
    }

    @Test
    void an_agents_released_grants_do_not_count_towards_its_active_ones() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            LeaseStore leases = stores.leases();
            Instant now = Instant.parse("2026-05-04T10:00:00Z");
            for (int i = 0; i < 500; i++) {
                Acquisition.Granted g =
                        (Acquisition.Granted) leases.tryAcquire("f" + i, "a1", Duration.ofMinutes(5), "", now, 2);
                leases.release("f" + i, "a1", g.lease().token(), now);
            }
            SqliteDatabase db = ((SqliteStores) stores).database();
            long visited = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM lease INDEXED BY lease_held WHERE holder = 'a1' AND released_at IS NULL"
                                + " AND expires_at > 0")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            assertThat(visited)
                    .as("the index an acquire counts through holds no released grant")
                    .isZero();
            assertThat(leases.tryAcquire("g", "a1", Duration.ofMinutes(5), "", now, 1))
                    .isInstanceOf(Acquisition.Granted.class);
        } finally {
            stores.close();
        }
    }
}
