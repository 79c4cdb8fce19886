package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SqliteDatabaseTest {

    @Test
    void committed_pages_reach_the_database_file_without_a_checkpoint_in_the_writer() throws Exception {
        Path file = Files.createTempDirectory("wal").resolve("hub.db");
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
                }
                return null;
            });
            long before = Files.size(file);
            String body = "x".repeat(4000);
            for (int i = 0; i < 500; i++) {
                db.write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO filler (body) VALUES (?)")) {
                        ps.setString(1, body);
                        ps.executeUpdate();
                    }
                    return null;
                });
            }
            // The writer never checkpoints (wal_autocheckpoint=0), so the 2 MB can only reach the file through the
            // checkpoint thread.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (Files.size(file) < before + 1_000_000 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(Files.size(file)).isGreaterThan(before + 1_000_000);
        }
    }

    @Test
    void the_wal_stays_bounded_under_writes_that_never_pause() throws Exception {
        Path file = Files.createTempDirectory("wal-bound").resolve("hub.db");
        Path wal = file.resolveSibling("hub.db-wal");
        try (SqliteDatabase db = new SqliteDatabase(file, false, 2)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
                }
                return null;
            });
            String body = "y".repeat(4000);
            long largest = 0;
            // About 64 MB of pages, written without a pause while a reader keeps reading.
            for (int i = 0; i < 16_000; i++) {
                db.write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO filler (body) VALUES (?)")) {
                        ps.setString(1, body);
                        ps.executeUpdate();
                    }
                    return null;
                });
                if (i % 50 == 0) {
                    db.read(c -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM filler");
                                ResultSet rs = ps.executeQuery()) {
                            return rs.next();
                        }
                    });
                    largest = Math.max(largest, Files.exists(wal) ? Files.size(wal) : 0);
                }
            }
            assertThat(largest).as("largest WAL seen, bytes").isLessThan(4L * SqliteDatabase.RESTART_FRAMES * 4096);
        }
    }

    @Test
    void a_failing_item_rolls_back_alone_while_its_batch_commits() throws Exception {
        Path file = Files.createTempDirectory("batch").resolve("hub.db");
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)");
                }
                return null;
            });
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int id = i;
                all.add(CompletableFuture.runAsync(
                        () -> db.write(c -> {
                            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id) VALUES (?)")) {
                                ps.setInt(1, id);
                                ps.executeUpdate();
                            }
                            if (id % 10 == 0) {
                                throw new IllegalStateException("item " + id + " fails after its insert");
                            }
                            return null;
                        }),
                        Thread::startVirtualThread));
            }
            int failed = 0;
            for (CompletableFuture<Void> f : all) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    assertThat(e).hasRootCauseInstanceOf(IllegalStateException.class);
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(20);
            List<Integer> ids = db.read(c -> {
                List<Integer> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM item ORDER BY id");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getInt(1));
                    }
                }
                return out;
            });
            assertThat(ids).hasSize(180).noneMatch(id -> id % 10 == 0);
            assertThatThrownBy(() -> db.write(c -> {
                        throw new IllegalStateException("plain failure");
                    }))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
