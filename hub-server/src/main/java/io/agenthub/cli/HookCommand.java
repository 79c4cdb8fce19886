package io.agenthub.cli;

import io.agenthub.client.Hooks;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code hub hook <event>}: a Claude Code command hook. Reads the event's JSON on stdin, posts it to the hub's
 * {@code /hooks/claude/<event>} (the same handlers as the HTTP hooks) and prints the hub's answer on stdout. A hook
 * never breaks the session: when the hub is down, slow (more than {@code HUB_HOOK_TIMEOUT} seconds, 2 by default) or
 * refuses, it prints nothing, says why on stderr and exits 0.
 *
 * <p>This class is its own entry point and talks to the hub through the public client's {@link Hooks} call, which
 * passes the event's bytes through without a JSON mapper; it loads neither picocli nor Jackson's mapper nor a logger,
 * so that the JVM starts it in a fraction of a second (with class-data sharing, see docs/claude-code.md).
 */
public final class HookCommand {
    private HookCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs the hook; always returns 0 except for a usage error (2). */
    public static int run(String[] args, Map<String, String> env, InputStream in, OutputStream out, PrintStream err) {
        String event = null;
        String url = env.getOrDefault("HUB_URL", "http://127.0.0.1:7700");
        String token = env.get("HUB_TOKEN");
        String agent = env.getOrDefault("HUB_AGENT_ID", "");
        String tokenFile = env.get("HUB_TOKEN_FILE");
        String repository = env.getOrDefault("HUB_REPOSITORY", "");
        String timeout = env.getOrDefault("HUB_HOOK_TIMEOUT", "2");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String next = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--url" -> url = next;
                case "--agent-id" -> agent = next;
                case "--token-file" -> tokenFile = next;
                case "--repo" -> repository = next;
                case "--timeout" -> timeout = next;
                case "-h", "--help" -> {
                    err.println(HELP);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || event != null) {
                        err.println("hub hook: unknown argument " + a + "\n" + HELP);
                        return 2;
                    }
                    event = a;
                    continue;
                }
            }
            if (next == null) {
                err.println("hub hook: " + a + " needs a value\n" + HELP);
                return 2;
            }
            i++;
        }
        if (event == null) {
            err.println(HELP);
            return 2;
        }
        try {
            byte[] body = in.readAllBytes();
            String bearer = token(token, tokenFile, agent, url.split(",")[0].strip(), env);
            if (bearer == null) {
                err.println(
                        "agent-hub hook " + event + ": no token (set HUB_TOKEN, or HUB_AGENT_ID with a token cached by"
                                + " hub claude init --join-key); the session goes on without the hub.");
                return 0;
            }
            // HUB_URL (or --url) may list several nodes of one hub, comma-separated: the client moves on to the next
            // node when one cannot be reached or answers 503, in both of which cases it did not do the work.
            String[] bases = java.util.Arrays.stream(url.split(","))
                    .map(String::strip)
                    .filter(u -> !u.isEmpty())
                    .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                    .toArray(String[]::new);
            Duration wait = Duration.ofMillis(Math.max(1, (long) (Double.parseDouble(timeout) * 1000)));
            HubClient.Builder builder = HubClient.builder()
                    .urls(bases)
                    .token(bearer)
                    .connectTimeout(wait)
                    .requestTimeout(wait)
                    .oneShot();
            HubClient hub = builder.build();
            String answer = hub.hooks().claude(event, body, new Hooks.Origin(agent, repository, projectDir(env)));
            out.write(answer.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return 0;
        } catch (HubProblem.Unreachable e) {
            err.println("agent-hub hook " + event + ": cannot reach the hub at " + url + " ("
                    + Connect.why(e.getCause() == null ? e : e.getCause()) + "); the session goes on without the hub.");
            return 0;
        } catch (HubProblem e) {
            err.println("agent-hub hook " + event + ": the hub answered HTTP " + e.status() + ": " + e.getMessage()
                    + " The session goes on without the hub.");
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("agent-hub hook " + event + ": cannot reach the hub at " + url + " (" + Connect.why(e)
                    + "); the session goes on without the hub.");
            return 0;
        }
    }

    private static final String HELP = "Usage: hub hook EVENT [--url URL[,URL...]] [--agent-id ID] [--token-file FILE]"
            + " [--repo NAME] [--timeout SECONDS]\n"
            + "Runs a Claude Code hook: reads the event JSON on stdin, prints the answer JSON. EVENT is session-start,"
            + " user-prompt-submit, pre-tool-use, post-tool-use, pre-compact, stop or session-end. The token comes"
            + " from HUB_TOKEN, or from the file cached for HUB_AGENT_ID by hub claude init --join-key. Exits 0 even"
            + " when the hub is down (the reason goes to stderr).";

    private static String token(String token, String tokenFile, String agent, String url, Map<String, String> env)
            throws IOException {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path file = tokenFile != null && !tokenFile.isBlank()
                ? Path.of(tokenFile)
                : agent == null || agent.isBlank() ? null : TokenCache.defaultFile(url, agent, env);
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        String cached = Files.readString(file, StandardCharsets.UTF_8).strip();
        return cached.isEmpty() ? null : cached;
    }

    /** The checkout's root: CLAUDE_PROJECT_DIR, else the nearest directory up from here with a .git entry. */
    static String projectDir(Map<String, String> env) {
        String dir = env.get("CLAUDE_PROJECT_DIR");
        if (dir != null && !dir.isBlank()) {
            return dir;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p.toString();
            }
        }
        return "";
    }
}
