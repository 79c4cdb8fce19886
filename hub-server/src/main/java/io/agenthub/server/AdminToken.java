package io.agenthub.server;

import io.agenthub.auth.Secrets;
import io.agenthub.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Where the admin token comes from: the configuration, or a file generated in the data directory at first start. */
public final class AdminToken {
    public static final String FILE = "admin-token";

    private AdminToken() {}

    /** The resolved token and whether it was generated just now (and so must be shown once). */
    public record Resolved(String token, boolean generated, Path file) {}

    public static Resolved resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isEmpty()) {
            return new Resolved(configured, false, null);
        }
        Path file = dataDir.resolve(FILE);
        try {
            PrivateFiles.directory(dataDir);
            if (Files.exists(file)) {
                return new Resolved(
                        Files.readString(file, StandardCharsets.UTF_8).strip(), false, file);
            }
            String token = Secrets.generate("aha_");
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                return new Resolved(
                        Files.readString(file, StandardCharsets.UTF_8).strip(), false, file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            return new Resolved(token, true, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the admin token file " + file, e);
        }
    }
}
