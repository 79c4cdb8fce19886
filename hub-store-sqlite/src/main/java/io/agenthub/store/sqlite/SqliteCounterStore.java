package io.agenthub.store.sqlite;

import io.agenthub.ops.CounterStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Operation counters in SQLite: one row per (minute, counter), incremented in place. */
final class SqliteCounterStore implements CounterStore {
    private final SqliteDatabase db;

    SqliteCounterStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void add(Instant bucketStart, Map<String, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO op_counter (bucket, name, value) VALUES (?, ?, ?)"
                            + " ON CONFLICT (bucket, name) DO UPDATE SET value = value + excluded.value")) {
                for (Map.Entry<String, Long> d : deltas.entrySet()) {
                    ps.setLong(1, bucketStart.toEpochMilli());
                    ps.setString(2, d.getKey());
                    ps.setLong(3, d.getValue());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    @Override
    public Map<String, Long> sum(Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, sum(value) FROM op_counter WHERE bucket >= ?"
                    + " AND bucket < ? GROUP BY name ORDER BY name")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, Long> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public int purgeBefore(Instant before) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM op_counter WHERE bucket < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
