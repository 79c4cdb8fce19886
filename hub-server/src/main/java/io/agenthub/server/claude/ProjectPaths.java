package io.agenthub.server.claude;

import io.agenthub.error.HubException;
import io.agenthub.lease.ResourceNaming;
import java.util.List;

/**
 * Turns the file a Claude Code tool edits into the lease it needs: {@code <repository>/<repo-relative path>}. The path
 * is made relative to the project directory (the checkout's root: the hook's {@code X-Hub-Project-Dir} header, which
 * {@code hub claude init} fills from {@code CLAUDE_PROJECT_DIR}, or else the event's {@code cwd}), so every worktree
 * of a repository names a file alike; the repository's name ({@code X-Hub-Repository}, recorded by {@code hub claude
 * init}) keeps repositories apart.
 */
final class ProjectPaths {
    private ProjectPaths() {}

    /**
     * The lease resource of {@code file}, or null when it lies outside the project directory (such files are not
     * coordinated, and the edit goes ahead).
     *
     * @param repository the repository's name, or empty for none (then the resource is the repo-relative path)
     * @param projectDir the checkout's root, or empty to use {@code cwd}
     * @param cwd the session's working directory from the event
     * @param file the path the tool names, absolute or relative to {@code cwd}
     */
    static String resource(String repository, String projectDir, String cwd, String file) {
        String root = !projectDir.isBlank() ? projectDir : cwd;
        if (file.isBlank() || root.isBlank() || !absolute(root)) {
            return null;
        }
        String path = absolute(file) ? file : cwd + "/" + file;
        String relative;
        try {
            relative = new ResourceNaming(List.of(root), false).canonical(path);
        } catch (HubException | IllegalArgumentException e) {
            return null;
        }
        if (relative.startsWith("/") || relative.matches("^[A-Za-z]:/.*")) {
            return null;
        }
        return repository.isBlank() ? relative : repository + "/" + relative;
    }

    private static boolean absolute(String path) {
        return path.startsWith("/")
                || path.startsWith("\\")
                || (path.length() >= 3
                        && Character.isLetter(path.charAt(0))
                        && path.charAt(1) == ':'
                        && (path.charAt(2) == '/' || path.charAt(2) == '\\'));
    }
}
