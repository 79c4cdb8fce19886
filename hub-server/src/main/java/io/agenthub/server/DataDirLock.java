package io.agenthub.server;

import io.agenthub.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive lock on the data directory, so that two hub processes never share one SQLite store. */
public final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static DataDirLock acquire(Path dataDir) {
        try {
            // Owner-only, and whatever an older version left readable is made so before anything is opened.
            PrivateFiles.directory(dataDir);
            PrivateFiles.tighten(dataDir);
            FileChannel channel = FileChannel.open(
                    PrivateFiles.file(dataDir.resolve("hub.lock")),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Another hub is running on " + dataDir.toAbsolutePath()
                        + "; stop it or choose another data directory (HUB_DATA_DIR).");
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the data directory " + dataDir, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock anyway.
        }
    }
}
