package io.agenthub.cli;

import io.agenthub.client.Agents.Agent;
import io.agenthub.client.HubClient;
import io.agenthub.client.Leases.Lease;
import io.agenthub.server.AdminToken;
import io.agenthub.server.Hub;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** The {@code hub} command line: serves the hub, and talks to a running one over HTTP. */
@Command(
        name = "hub",
        mixinStandardHelpOptions = true,
        version = "Agent Hub " + Hub.VERSION,
        description = "Coordination server for fleets of AI agents.",
        subcommands = {
            Cli.Serve.class,
            Cli.AgentCommand.class,
            Cli.Agents.class,
            Cli.Status.class,
            Cli.JoinKey.class,
            Cli.Dashboard.class,
            UsageCommands.Usage.class,
            UsageCommands.Budget.class,
            MemoryCommands.Memories.class,
            Cli.Mcp.class,
            Cli.Hook.class,
            ClaudeCommands.Claude.class,
            OpsCommands.Tier.class,
            OpsCommands.Errors.class,
            OpsCommands.Alerts.class,
            OpsCommands.SelfTest.class,
            DrillCommands.DrillCommand.class,
            DrillCommands.ChaosCommand.class,
            OpsCommands.Trace.class,
            OpsCommands.Export.class,
            OpsCommands.Import.class,
            OpsCommands.Keys.class,
            SafetyReportCommand.class,
            TaskCommands.Task.class,
            PoolCommands.Pools.class,
            PoolCommands.Scaling.class,
            RolloutCommands.Rollout.class,
            FlagCommands.Flags.class,
            RunnerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Cli {
    public static void main(String[] args) {
        carriers();
        System.exit(run(args));
    }

    /** Carrier threads of the virtual-thread scheduler unless set with {@code -D}: at least this many. */
    static final int MIN_CARRIERS = 8;

    /**
     * Requests run on virtual threads, and a virtual thread in a SQLite call (JNI) holds its carrier thread until the
     * call returns. With one carrier per core, as the JDK sets by default, two slow reads on a two-core machine froze
     * every other request for as long as they took; a few more carriers than cores keep the rest moving. Must run
     * before the first virtual thread starts.
     */
    static void carriers() {
        String key = "jdk.virtualThreadScheduler.parallelism";
        if (System.getProperty(key) == null) {
            System.setProperty(
                    key,
                    Integer.toString(Math.max(MIN_CARRIERS, Runtime.getRuntime().availableProcessors())));
        }
    }

    /** Runs a command line and returns the exit code; for tests. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Cli());
        versionEverywhere(cl, cl.getCommandSpec().version());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof io.agenthub.client.HubProblem p) {
                cmd.getErr().println("hub: " + Connect.message(p));
                return 2;
            }
            if (e instanceof CliFailure
                    || e instanceof HubConfig.InvalidSetting
                    || e instanceof IllegalStateException
                    || e instanceof io.agenthub.client.HubProblem
                    || e instanceof io.agenthub.error.HubException) {
                cmd.getErr().println("hub: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /**
     * Gives every subcommand {@code --help} and the hub's version, so that {@code -h} and {@code -V} answer on each of
     * them as on {@code hub}, also on commands added later.
     */
    private static void versionEverywhere(CommandLine cl, String[] version) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().version(version);
            }
            CommandSpec spec = sub.getCommandSpec();
            if (!spec.mixinStandardHelpOptions()) {
                if (spec.findOption("--version") == null && spec.findOption("-V") == null) {
                    spec.mixinStandardHelpOptions(true);
                } else if (spec.findOption("--help") == null) {
                    // A command whose own --version names an agent version still answers --help.
                    spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                            .usageHelp(true)
                            .description("Show this help message and exit.")
                            .build());
                }
            }
            versionEverywhere(sub, version);
        }
    }

    /** A value as the tables show it: empty for none. */
    static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Options shared by the client commands. */
    static class Remote {
        @Option(names = "--url", description = "Hub URL (default: $HUB_URL or http://127.0.0.1:7700).")
        String url;

        @Option(
                names = "--ca-file",
                description = "PEM file of the authority to trust for an https:// hub (default: $HUB_CA_FILE, else the"
                        + " JVM's trust store).")
        Path caFile;

        @Option(
                names = "--token",
                description = "Bearer token (default: $HUB_ADMIN_TOKEN, $HUB_TOKEN, or" + " <data-dir>/admin-token).")
        String token;

        @Option(
                names = "--data-dir",
                description = "Where to find the generated admin token (default: $HUB_DATA_DIR" + " or ./hub-data).")
        String dataDir;

        HubClient client() {
            Map<String, String> env = System.getenv();
            String base = url != null ? url : env.getOrDefault("HUB_URL", "http://127.0.0.1:7700");
            ClientTls.use(caFile, env.get("HUB_CA_FILE"));
            return Connect.to(base, token());
        }

        /** The public Java client (module hub-client) on the same URL, token and trust as {@link #client()}. */
        io.agenthub.client.HubClient api() {
            Map<String, String> env = System.getenv();
            String base = url != null ? url : env.getOrDefault("HUB_URL", "http://127.0.0.1:7700");
            ClientTls.use(caFile, env.get("HUB_CA_FILE"));
            return io.agenthub.client.HubClient.builder()
                    .urls(base.split(","))
                    .token(token())
                    .httpClient(ClientTls.builder().build())
                    .build();
        }

        private String token() {
            if (token != null) {
                return token;
            }
            Map<String, String> env = System.getenv();
            for (String name : new String[] {"HUB_ADMIN_TOKEN", "HUB_TOKEN"}) {
                if (env.get(name) != null && !env.get(name).isEmpty()) {
                    return env.get(name);
                }
            }
            Path dir = Path.of(dataDir != null ? dataDir : env.getOrDefault("HUB_DATA_DIR", "./hub-data"));
            Path file = dir.resolve(AdminToken.FILE);
            try {
                return Files.isReadable(file)
                        ? Files.readString(file, StandardCharsets.UTF_8).strip()
                        : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    @Command(name = "serve", description = "Run the hub.", mixinStandardHelpOptions = true)
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", description = "TCP port (default 7700, or HUB_PORT).")
        Integer port;

        @Option(names = "--bind", description = "Listen address (default 127.0.0.1, or HUB_BIND).")
        String bind;

        @Option(names = "--data-dir", description = "Data directory (default ./hub-data, or HUB_DATA_DIR).")
        String dataDir;

        @Option(names = "--config", description = "Properties file with settings (or HUB_CONFIG).")
        Path config;

        @Option(names = "--set", description = "Any setting as key=value, e.g. --set lease-max-ttl=1h. Repeatable.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> flags = new LinkedHashMap<>(settings);
            if (port != null) {
                flags.put(Setting.PORT.key(), port.toString());
            }
            if (bind != null) {
                flags.put(Setting.BIND.key(), bind);
            }
            if (dataDir != null) {
                flags.put(Setting.DATA_DIR.key(), dataDir);
            }
            HubConfig cfg = HubConfig.load(System.getenv(), flags, config);
            Hub hub = new Hub(cfg, Clock.systemUTC()).start();
            AdminToken.Resolved admin = hub.adminToken();
            if (admin.generated()) {
                PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
                err.println("Generated the admin token (shown once; stored in " + admin.file() + ", mode 600):");
                err.println("  " + admin.token());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                hub.close();
                stopped.countDown();
            }));
            System.err.println("Agent Hub listening on " + hub.baseUrl() + " (Ctrl-C stops it).");
            System.err.println("Dashboard: " + hub.dashboardUrl()
                    + " (log in with the admin token, or run 'hub dashboard' for a one-time link)");
            stopped.await();
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "agent",
            description = "Manage one agent.",
            subcommands = {
                AgentAdd.class,
                AgentToken.class,
                OpsCommands.AgentDisable.class,
                OpsCommands.AgentEnable.class
            })
    static final class AgentCommand {}

    @Command(
            mixinStandardHelpOptions = true,
            name = "add",
            description = "Create an agent and print its token (shown once).")
    static final class AgentAdd extends Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Agent id (also the default name).")
        String id;

        @Option(names = "--name", description = "Display name.")
        String name;

        @Option(names = "--role", description = "agent (default) or viewer.")
        String role = "agent";

        @Option(names = "--label", description = "Label as key=value, e.g. --label pool=web. Repeatable.")
        Map<String, String> labels = new LinkedHashMap<>();

        @Override
        public Integer call() {
            var created = client().agents()
                    .create(new io.agenthub.client.Agents.NewAgent(id, name == null ? id : name, role, null, labels));
            System.out.println(created.token());
            System.err.println("Created " + role + " " + id + ". The token above is shown once; give it to the agent"
                    + " as HUB_TOKEN.");
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "token",
            description = "Issue a new token for an existing agent (shown once).")
    static final class AgentToken extends Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Agent id.")
        String id;

        @Option(names = "--replace", description = "Revoke the agent's other tokens at once (a leaked token).")
        boolean replace;

        @Override
        public Integer call() {
            System.out.println(client().agents().issueToken(id, replace));
            if (replace) {
                System.err.println("Every other token of " + id + " is revoked.");
            }
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "agents", description = "List agents as a table.")
    static final class Agents extends Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            List<Agent> agents = client().agents().list();
            Table t = new Table("ID", "NAME", "ROLE", "PRESENCE", "STATUS", "LAST SEEN", "TASK");
            int disabled = 0;
            for (Agent a : agents) {
                var mark = a.disabled();
                disabled += mark != null ? 1 : 0;
                t.row(
                        text(a.id()),
                        text(a.name()),
                        text(a.role()),
                        mark != null ? "DISABLED by " + text(mark.by()) + " at " + text(mark.at()) : text(a.presence()),
                        text(a.status()),
                        text(a.lastSeen()),
                        text(a.currentTask()));
            }
            System.out.print(t.render());
            System.out.println(agents.size() + " agent(s)" + (disabled == 0 ? "" : ", " + disabled + " disabled"));
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "status",
            description = "Show the hub's health, agents and leases.")
    static final class Status extends Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            HubClient c = client();
            var health = c.ops().health();
            List<Agent> agents = c.agents().list();
            List<Lease> leases = c.leases().active();
            Map<String, Integer> presence = new LinkedHashMap<>();
            for (Agent a : agents) {
                presence.merge(a.disabled() != null ? "disabled" : text(a.presence()), 1, Integer::sum);
            }
            System.out.println("hub      " + health.status() + " (store " + health.store() + ", version "
                    + health.version() + ", up " + health.uptimeSeconds() + " s)");
            System.out.println("agents   " + agents.size() + " " + presence);
            JsonNode status = c.ops().status();
            JsonNode tier = status.path("tier");
            System.out.println("tier     " + tier.path("tier").asInt() + " ("
                    + tier.path("name").asString() + "): " + tier.path("reason").asString());
            System.out.println("alerts   "
                    + (status.path("alertsFiring").isEmpty()
                            ? "none firing"
                            : "firing: " + status.path("alertsFiring")));
            List<String> reasons = new ArrayList<>();
            status.path("overallReasons").forEach(r -> reasons.add(r.asString()));
            System.out.println("overall  " + status.path("overall").asString()
                    + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")"));
            Table metrics = new Table("METRIC", "VALUE", "LEVEL", "THRESHOLDS", "BASIS");
            for (JsonNode m : status.path("metrics")) {
                metrics.row(
                        m.path("name").asString(),
                        m.path("display").asString(),
                        m.path("level").asString(),
                        m.path("thresholds").asString(),
                        m.path("basis").asString());
            }
            System.out.print(metrics.render());
            System.out.println("leases   " + leases.size() + " active");
            if (!leases.isEmpty()) {
                Table t = new Table("RESOURCE", "HOLDER", "TOKEN", "EXPIRES");
                for (Lease l : leases) {
                    t.row(l.resource(), l.holder(), l.token(), text(l.expiresAt()));
                }
                System.out.print(t.render());
            }
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "join-key",
            description = "Create a join key with which agents enrol themselves.")
    static final class JoinKey extends Remote implements Callable<Integer> {
        @Option(names = "--label", description = "What the key is for.", defaultValue = "fleet")
        String label;

        @Override
        public Integer call() {
            System.out.println(client().admin().createJoinKey(label).joinKey());
            return 0;
        }
    }

    @Command(
            name = "dashboard",
            description = "Print a one-time login link to the dashboard (valid for five minutes, for one browser).")
    static final class Dashboard extends Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode link = client().admin().dashboardLink();
            System.out.println(link.path("url").asString());
            System.err.println("(valid until " + link.path("expiresAt").asString() + ", once)");
            return 0;
        }
    }

    @Command(
            name = "mcp",
            description = "Speak MCP on stdin/stdout for clients that launch a process, forwarding every request to a"
                    + " running hub's /mcp. Logs go to stderr; exits when stdin closes.",
            mixinStandardHelpOptions = true)
    static final class Mcp implements Callable<Integer> {
        @Option(names = "--url", description = "Hub URL (default: $HUB_URL or http://127.0.0.1:7700).")
        String url;

        @Option(names = "--token", description = "The agent's bearer token (default: $HUB_TOKEN).")
        String token;

        @Option(
                names = "--ca-file",
                description = "PEM file of the authority to trust for an https:// hub (default: $HUB_CA_FILE, else the"
                        + " JVM's trust store).")
        Path caFile;

        @Option(names = "--join-key", description = "Join key to enrol with on first use (default: $HUB_JOIN_KEY).")
        String joinKey;

        @Option(names = "--agent-id", description = "Agent id to enrol as (default: $HUB_AGENT_ID).")
        String agentId;

        @Option(
                names = "--token-file",
                description = "Where the enrolled token is cached (default: $HUB_TOKEN_FILE, or"
                        + " ~/.config/agent-hub/<agent-id>@<host>_<port>.token).")
        Path tokenFile;

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            String base = url != null ? url : env.getOrDefault("HUB_URL", "http://127.0.0.1:7700");
            ClientTls.use(caFile, env.get("HUB_CA_FILE"));
            base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            Path file = tokenFile != null
                    ? tokenFile
                    : env.get("HUB_TOKEN_FILE") == null ? null : Path.of(env.get("HUB_TOKEN_FILE"));
            String bearer = TokenCache.resolve(
                    base,
                    token != null ? token : env.get("HUB_TOKEN"),
                    file,
                    joinKey != null ? joinKey : env.get("HUB_JOIN_KEY"),
                    agentId != null ? agentId : env.get("HUB_AGENT_ID"),
                    env);
            String given = token != null ? token : env.get("HUB_TOKEN");
            String id = agentId != null ? agentId : env.get("HUB_AGENT_ID");
            if (given != null && !given.isBlank() && id != null && !id.isBlank()) {
                sameAgent(base, bearer, id.strip());
            }
            if (bearer == null) {
                throw new CliFailure("hub mcp needs a token: --token or HUB_TOKEN, a cached --token-file, or"
                        + " --join-key with --agent-id to enrol.");
            }
            return new McpStdioProxy(
                            Connect.to(base, bearer, java.time.Duration.ofMinutes(2))
                                    .mcp(),
                            base)
                    .run(System.in, System.out);
        }

        /**
         * A token given outright (often inherited: Claude Code passes the parent shell's environment) and an agent id
         * must name one agent; otherwise the session would silently act as the token's agent. Refuses the conflict.
         */
        static void sameAgent(String base, String bearer, String agentId) {
            String actual = Connect.to(base, bearer).agents().whoami().id();
            if (!actual.equals(agentId)) {
                throw new CliFailure("HUB_TOKEN (or --token) belongs to agent " + actual + ", but HUB_AGENT_ID"
                        + " (or --agent-id) says " + agentId + ". A token inherited from the parent shell would act"
                        + " as " + actual
                        + ": unset one of them (e.g. env -u HUB_TOKEN), so that both name one agent.");
            }
        }
    }

    @Command(
            name = "hook",
            description = "Run a Claude Code command hook: the event JSON on stdin, the answer JSON on stdout. EVENT:"
                    + " session-start, user-prompt-submit, pre-tool-use, post-tool-use, pre-compact, stop,"
                    + " session-end. Exits 0 when the hub is down (the reason goes to stderr). ./hub hook starts a"
                    + " lighter entry point (docs/claude-code.md).",
            mixinStandardHelpOptions = true)
    static final class Hook implements Callable<Integer> {
        @Parameters(index = "0", description = "The event, in kebab case.")
        String event;

        @Option(names = "--url", description = "Hub URL (default: $HUB_URL or http://127.0.0.1:7700).")
        String url;

        @Option(names = "--agent-id", description = "The agent (default: $HUB_AGENT_ID); must match the token's.")
        String agentId;

        @Option(names = "--token-file", description = "Token file (default: $HUB_TOKEN_FILE or the enrolment cache).")
        String tokenFile;

        @Option(names = "--repo", description = "Repository name for lease names (default: $HUB_REPOSITORY).")
        String repo;

        @Option(names = "--timeout", description = "Seconds to wait for the hub (default: $HUB_HOOK_TIMEOUT or 2).")
        String timeout;

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>(List.of(event));
            add(args, "--url", url);
            add(args, "--agent-id", agentId);
            add(args, "--token-file", tokenFile);
            add(args, "--repo", repo);
            add(args, "--timeout", timeout);
            return HookCommand.run(args.toArray(String[]::new), System.getenv(), System.in, System.out, System.err);
        }

        private static void add(List<String> args, String name, String value) {
            if (value != null) {
                args.add(name);
                args.add(value);
            }
        }
    }
}
