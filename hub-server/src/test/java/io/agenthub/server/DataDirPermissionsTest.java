package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The data directory is 0700 and every file in it 0600: the database, its -wal and -shm, the lock, the admin token. */
class DataDirPermissionsTest {

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void assertOwnerOnly(Path dir) throws Exception {
        assertThat(mode(dir)).isEqualTo("rwx------");
        for (String name : new String[] {"hub.db", "hub.db-wal", "hub.db-shm", "hub.lock", "admin-token"}) {
            assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                assertThat(mode(p)).as(p.toString()).isIn("rwx------", "rw-------");
            }
        }
    }

    @Test
    void a_new_data_directory_and_its_files_are_owner_only() throws Exception {
        // An empty admin-token makes the hub generate one into the data directory.
        try (TestHub hub = new TestHub(Map.of("admin-token", ""), java.time.Clock.systemUTC())) {
            Path dir = hub.dataDir();
            assertThat(Files.exists(dir.resolve("admin-token"))).isTrue();
            assertOwnerOnly(dir);
        }
    }

    @Test
    void files_an_older_version_left_readable_are_made_owner_only_at_start() throws Exception {
        Path dir = Files.createTempDirectory("hub-perm").resolve("data");
        try (TestHub hub = TestHub.onDataDir(dir)) {
            hub.agent("writer");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Files.writeString(dir.resolve("admin-token"), "aha_old\n");
        Files.setPosixFilePermissions(dir.resolve("admin-token"), PosixFilePermissions.fromString("rw-r--r--"));
        try (TestHub hub = TestHub.onDataDir(dir)) {
            assertOwnerOnly(dir);
        }
    }
}
