package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
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

    private static SqliteDatabase withItems(Duration writeTimeout) throws Exception {
        SqliteDatabase db =
                new SqliteDatabase(Files.createTempDirectory("alone").resolve("hub.db"), false, 1, true, writeTimeout);
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)");
            }
            return null;
        });
        return db;
    }

    private static SqliteDatabase.Work<Integer> slowInsert(int id, long sleepMillis) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item (id) VALUES (?)")) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return id;
        };
    }

    private static List<Integer> items(SqliteDatabase db) {
        return db.read(c -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM item ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        });
    }

    @Test
    void a_write_that_outlasts_the_confirm_timeout_leaves_its_caller_unsure() throws Exception {
        try (SqliteDatabase db = withItems(Duration.ofMillis(200))) {
            assertThatThrownBy(() -> db.write(slowInsert(1, 800)))
                    .isInstanceOf(HubException.Unavailable.class)
                    .hasMessageContaining(
                            "did not confirm the write within 200 ms; it may or may not have been applied");
        }
    }

    @Test
    void a_long_job_alone_is_waited_for_past_the_confirm_timeout() throws Exception {
        try (SqliteDatabase db = withItems(Duration.ofMillis(200))) {
            assertThat(db.writeAlone(slowInsert(7, 800))).isEqualTo(7);
            assertThat(items(db)).containsExactly(7);
            assertThatThrownBy(() -> db.writeAlone(c -> {
                        slowInsert(8, 400).run(c);
                        throw new IllegalStateException("fails after its insert");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(items(db)).as("a failed long job leaves nothing behind").containsExactly(7);
        }
    }

    @Test
    void writes_queued_before_a_long_job_commit_before_it_runs() throws Exception {
        try (SqliteDatabase db = withItems(Duration.ofSeconds(30))) {
            // The first write holds the writer while the quick write and then the long job queue up behind it.
            CompletableFuture<Integer> holder =
                    CompletableFuture.supplyAsync(() -> db.write(slowInsert(1, 500)), Thread::startVirtualThread);
            Thread.sleep(100);
            CompletableFuture<Long> quick = CompletableFuture.supplyAsync(
                    () -> {
                        db.write(slowInsert(2, 0));
                        return System.nanoTime();
                    },
                    Thread::startVirtualThread);
            Thread.sleep(100);
            CompletableFuture<Long> alone = CompletableFuture.supplyAsync(
                    () -> {
                        db.writeAlone(slowInsert(3, 1500));
                        return System.nanoTime();
                    },
                    Thread::startVirtualThread);
            holder.join();
            long quickDone = quick.join();
            long aloneDone = alone.join();
            assertThat(Duration.ofNanos(aloneDone - quickDone))
                    .as("the quick write was confirmed before the long job, not with it")
                    .isGreaterThan(Duration.ofMillis(1000));
            assertThat(items(db)).containsExactly(1, 2, 3);
        }
    }
}
