package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.lease.Acquisition;
import io.agenthub.store.Stores;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lease purge walks the table page by page and removes every ended grant, however many pages there are. */
class SqliteLeasePurgeTest {
    @Test
    void ended_grants_of_several_pages_go_and_active_ones_stay() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            Instant now = Instant.parse("2026-05-04T10:00:00Z");
            long t = now.toEpochMilli();
            int ended = 2 * SqliteLeaseStore.PURGE_PAGE + 500;
            SqliteDatabase db = ((SqliteStores) stores).database();
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
                        + " FROM n WHERE i < ?) INSERT INTO lease (resource, holder, token, acquired_at, expires_at,"
                        + " note, released_at) SELECT printf('old/%05d', i), 'a1', i, ?, ?, '', CASE WHEN i % 2 = 0"
                        + " THEN ? END FROM n")) {
                    ps.setInt(1, ended);
                    ps.setLong(2, t - 3_000_000);
                    ps.setLong(3, t - 2_000_000);
                    ps.setLong(4, t - 2_500_000);
                    return ps.executeUpdate();
                }
            });
            assertThat(stores.leases().tryAcquire("zz/live", "a2", Duration.ofMinutes(5), "", now, 10))
                    .isInstanceOf(Acquisition.Granted.class);
            assertThat(stores.leases().purgeEndedBefore(now.minusSeconds(1_000)))
                    .isEqualTo(ended);
            long left = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM lease");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(left).isEqualTo(1);
            assertThat(stores.leases().active(now))
                    .extracting(l -> l.resource())
                    .containsExactly("zz/live");
        } finally {
            stores.close();
        }
    }
}
