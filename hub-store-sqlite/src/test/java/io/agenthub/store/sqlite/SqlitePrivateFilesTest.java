package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The database, its -wal and -shm files and scratch databases are readable by the hub's user only. */
class SqlitePrivateFilesTest {

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void a_new_database_and_its_wal_and_shm_files_are_owner_only() throws Exception {
        Path dir = Files.createTempDirectory("perm").resolve("data");
        Path file = dir.resolve("hub.db");
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
                    s.execute("INSERT INTO t VALUES (1)");
                }
                return null;
            });
            assertThat(Files.exists(dir.resolve("hub.db-wal"))).isTrue();
            assertThat(Files.exists(dir.resolve("hub.db-shm"))).isTrue();
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("hub.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("hub.db-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void a_world_readable_database_left_by_an_older_version_is_made_owner_only() throws Exception {
        Path dir = Files.createTempDirectory("perm");
        Path file = dir.resolve("hub.db");
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            db.read(c -> null);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (SqliteDatabase db = new SqliteDatabase(file, false, 1)) {
            assertThat(mode(file)).isEqualTo("rw-------");
        }
    }

    @Test
    void scratch_databases_are_owner_only() throws Exception {
        Path dir = Files.createTempDirectory("perm");
        try (SqliteStores stores = SqliteStores.open(dir, false);
                Stores scratch = stores.openScratch("probe-1")) {
            scratch.agents();
            assertThat(mode(dir.resolve("scratch"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("scratch/probe-1"))).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("scratch/probe-1/hub.db"))).isEqualTo("rw-------");
        }
    }
}
