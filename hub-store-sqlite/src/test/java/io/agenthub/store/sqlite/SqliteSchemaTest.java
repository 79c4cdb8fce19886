package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Migrations apply by version number; snapshots cover every table that holds state. */
class SqliteSchemaTest {
    /**
     * Tables that hold no state of their own (indexes derived from other tables, bookkeeping, transient counters), or
     * whose rows are exported inside another table's records.
     */
    private static final Set<String> DERIVED = Set.of(
            "schema_version",
            "sqlite_sequence",
            "memory_tag",
            "memory_fts",
            "memory_fts_data",
            "memory_fts_idx",
            "memory_fts_docsize",
            "memory_fts_config",
            "usage_total",
            "op_counter",
            "security_event",
            "rollout_count",
            "budget_throttle");

    @Test
    void every_table_with_state_is_in_the_snapshot() throws Exception {
        try (SqliteDatabase db =
                new SqliteDatabase(Files.createTempDirectory("schema").resolve("hub.db"), false, 1)) {
            List<String> tables = db.read(c -> {
                List<String> out = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
            assertThat(tables.stream().filter(t -> !DERIVED.contains(t)))
                    .as("a new table must be exported by SqliteSnapshotStore (and listed in its TABLES), or be"
                            + " listed here as derived")
                    .containsExactlyInAnyOrderElementsOf(SqliteSnapshotStore.TABLES);
        }
    }

    @Test
    void a_migration_missing_below_the_newest_applied_one_still_runs() throws Exception {
        Path file = Files.createTempDirectory("schema").resolve("hub.db");
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE inbox_ack");
                    return s.executeUpdate("DELETE FROM schema_version WHERE version = 4");
                }
            });
        }
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            List<Integer> versions = db.read(c -> {
                List<Integer> out = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                    while (rs.next()) {
                        out.add(rs.getInt(1));
                    }
                }
                return out;
            });
            assertThat(versions)
                    .contains(4)
                    .containsExactlyElementsOf(SqliteDatabase.MIGRATIONS.stream()
                            .map(SqliteDatabase::version)
                            .sorted()
                            .toList());
            boolean recreated = db.read(c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM inbox_ack")) {
                    return rs.next();
                }
            });
            assertThat(recreated).isTrue();
        }
        assertThat(SqliteDatabase.version("V12__later.sql")).isEqualTo(12);
    }
}
