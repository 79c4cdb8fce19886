package io.agenthub.store.sqlite;

import io.agenthub.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens SQLite stores in a fresh temporary directory and reopens the same file. */
final class SqliteFixture {
    private SqliteFixture() {}

    static Stores fresh() throws Exception {
        return SqliteStores.open(Files.createTempDirectory("hub-sqlite-test"), false);
    }

    static Stores reopen(Stores old) {
        Path dir = ((SqliteStores) old).dataDir();
        old.close();
        return SqliteStores.open(dir, false);
    }
}
