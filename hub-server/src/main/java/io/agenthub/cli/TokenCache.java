package io.agenthub.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the bearer token of {@code hub mcp}: given outright, read from a token file, or obtained by enrolling with a
 * join key on first use and cached in a file only its owner can read ({@code ~/.config/agent-hub/} by default). The
 * token is never printed.
 */
final class TokenCache {

    private TokenCache() {}

    /**
     * @param token a token given on the command line or in the environment, or null
     * @param tokenFile where the token is cached, or null for the default under the config directory
     * @param joinKey a join key to enrol with when no token is cached, or null
     * @param agentId the id to enrol as (and to name the default token file), or null
     * @return the token, or null if none was given and none can be obtained
     */
    static String resolve(
            String hubUrl, String token, Path tokenFile, String joinKey, String agentId, Map<String, String> env) {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path file = tokenFile != null ? tokenFile : agentId == null ? null : defaultFile(hubUrl, agentId, env);
        if (file != null && Files.isRegularFile(file)) {
            try {
                String cached = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!cached.isEmpty()) {
                    return cached;
                }
            } catch (IOException e) {
                throw new CliFailure("Cannot read the token file " + file + ": " + e.getMessage());
            }
        }
        if (joinKey == null || joinKey.isBlank()) {
            return null;
        }
        if (agentId == null || agentId.isBlank()) {
            throw new CliFailure("Enrolling with a join key needs an agent id: --agent-id or HUB_AGENT_ID.");
        }
        String issued = Connect.to(hubUrl, null)
                .agents()
                .enroll(joinKey.strip(), agentId, null, null, null)
                .token();
        store(file, issued);
        // The logger is looked up here only: hub hook reads token files without starting logging.
        Logger log = LoggerFactory.getLogger(TokenCache.class);
        log.info("Enrolled as {}; the token is cached in {} (owner-only)", agentId, file);
        return issued;
    }

    /** {@code $XDG_CONFIG_HOME/agent-hub/<agent>@<host>_<port>.token}, or under {@code ~/.config}. */
    static Path defaultFile(String hubUrl, String agentId, Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config =
                xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        URI uri = URI.create(hubUrl);
        String hub = (uri.getHost() == null ? "hub" : uri.getHost().replaceAll("[^A-Za-z0-9.-]", "_")) + "_"
                + (uri.getPort() < 0 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort());
        return config.resolve("agent-hub").resolve(agentId + "@" + hub + ".token");
    }

    static void store(Path file, String token) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CliFailure("Enrolled, but cannot cache the token in " + file + " (" + e.getMessage()
                    + "). Ask an admin to issue a new token for this agent.");
        }
    }
}
