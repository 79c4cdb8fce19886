package io.agenthub.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory holds tokens' hashes, agents' text and the admin token: only the hub's own user may read it.
 * Directories are {@code rwx------} (0700) and files {@code rw-------} (0600), whatever the process umask. Files are
 * created with these permissions before anything writes to them (SQLite then gives its {@code -wal} and {@code -shm}
 * files the permissions of the database file), and {@link #tighten} fixes what an older version left readable. On a
 * file system without POSIX permissions these calls only create what is missing.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) as 0700, or makes an existing one 0700. */
    public static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    // Created by another thread or process meanwhile: set its permissions below.
                }
            }
            restrict(dir, DIRECTORY);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the private directory " + dir, e);
        }
    }

    /** Creates {@code file} empty as 0600, or makes an existing one 0600. */
    public static Path file(Path file) {
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                restrict(file, FILE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the private file " + file, e);
        }
    }

    /** Makes {@code file} 0600 if it exists. */
    public static void restrictIfPresent(Path file) {
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                restrict(file, FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict the permissions of " + file, e);
        }
    }

    /** Makes {@code dir} and every directory below it 0700 and every regular file 0600; symbolic links are skipped. */
    public static void tighten(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    restrict(p, DIRECTORY);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    restrict(p, FILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict the permissions in " + dir, e);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> permissions) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(permissions)) {
                Files.setPosixFilePermissions(p, permissions);
            }
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions on this file system.
        }
    }
}
