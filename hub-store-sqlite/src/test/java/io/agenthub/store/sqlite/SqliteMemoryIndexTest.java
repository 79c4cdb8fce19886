package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.agenthub.memory.Memory;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The full-text index stays consistent with the memory table through inserts, soft deletes and purges. */
class SqliteMemoryIndexTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private SqliteStores stores;

    @BeforeEach
    void open() throws Exception {
        stores = (SqliteStores) SqliteFixture.fresh();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void index_matches_the_table_after_soft_deletes_and_purges() {
        for (int i = 0; i < 10; i++) {
            stores.memories()
                    .add(Memory.fresh(
                            "m" + i, Memory.Category.LEARNING, "entry number " + i, List.of("t" + i), "alice", NOW));
        }
        stores.memories().delete("m1", "alice", NOW);
        stores.memories().delete("m2", "admin", NOW);
        purge("m2");
        purge("m3");
        assertIndexIntact();

        assertThat(stores.memories().search("entry", List.of(), null, 100)).hasSize(7);
        assertThat(rows("SELECT count(*) FROM memory"))
                .as("the soft-deleted row stays")
                .isEqualTo(8);
        assertThat(rows("SELECT count(*) FROM memory WHERE deleted_by = 'alice' AND deleted_at IS NOT NULL"))
                .isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM memory_tag"))
                .as("purged rows lose their tags")
                .isEqualTo(8);
    }

    @Test
    void a_rebuilt_index_still_leaves_out_deleted_entries() {
        stores.memories().add(Memory.fresh("keep", Memory.Category.PATTERN, "shared words", List.of(), "a", NOW));
        stores.memories().add(Memory.fresh("gone", Memory.Category.PATTERN, "shared words", List.of(), "a", NOW));
        stores.memories().delete("gone", "a", NOW);
        stores.database().write(c -> {
            try (Statement s = c.createStatement()) {
                return s.execute("INSERT INTO memory_fts (memory_fts) VALUES ('rebuild')");
            }
        });
        assertIndexIntact();
        assertThat(stores.memories().search("shared", List.of(), null, 10))
                .extracting(Memory::id)
                .containsExactly("keep");
    }

    private void purge(String id) {
        stores.database().write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM memory WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    private long rows(String sql) {
        return stores.database().read(c -> {
            try (Statement s = c.createStatement();
                    var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void assertIndexIntact() {
        // With rank 1, FTS5 also compares the index with the external content table.
        assertThatCode(() -> stores.database().write(c -> {
                    try (Statement s = c.createStatement()) {
                        return s.execute("INSERT INTO memory_fts (memory_fts, rank) VALUES ('integrity-check', 1)");
                    }
                }))
                .doesNotThrowAnyException();
    }
}
