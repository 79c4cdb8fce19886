package io.agenthub.cli;

import io.agenthub.server.DataDirLock;
import io.agenthub.server.Hub;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import io.agenthub.server.ops.SnapshotCodec;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** The operators' commands: tiers, errors, alerts, the self-test, traces, snapshots, keys and disabling agents. */
final class OpsCommands {
    private OpsCommands() {}

    @Command(
            mixinStandardHelpOptions = true,
            name = "tier",
            description = "Show the degradation tier, or set it with 'tier set'.",
            subcommands = {TierSet.class})
    static final class Tier extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode t = client().ops().tier();
            String tier =
                    "tier " + t.path("tier").asInt() + " (" + t.path("name").asString() + ")";
            // A hub whose tier nobody ever set has no "since": it has served in full from its first start.
            System.out.println(
                    t.path("since").isNull() || t.path("since").isMissingNode()
                            ? tier + ": never changed since the hub's first start"
                            : tier + " since " + t.path("since").asString() + ", set by "
                                    + t.path("setBy").asString() + ": "
                                    + t.path("reason").asString());
            if (t.path("baseline").asInt() != t.path("tier").asInt()) {
                System.out.println("baseline set by an admin: tier "
                        + t.path("baseline").asInt() + "; rules demanding more: " + t.path("demandedByRules"));
            }
            Table history = new Table("SINCE", "TIER", "BASELINE", "BY", "REASON");
            for (JsonNode h : t.path("history")) {
                history.row(
                        h.path("since").asString(),
                        h.path("tier").asInt(),
                        h.path("baseline").asInt(),
                        h.path("setBy").asString(),
                        h.path("reason").asString());
            }
            if (!t.path("history").isEmpty()) {
                System.out.print(history.render());
            }
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "set",
            description = "Set the tier: 1 full, 2 reduced, 3 minimal, 4 maintenance (read-only).")
    static final class TierSet extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "1, 2, 3 or 4.")
        int tier;

        @Option(names = "--reason", required = true, description = "Why (recorded and announced).")
        String reason;

        @Option(names = "--agent", description = "For tier 3: the one agent that keeps taking new work.")
        String agent;

        @Override
        public Integer call() {
            JsonNode t = client().ops().setTier(tier, reason, agent);
            System.out.println(
                    "tier " + t.path("tier").asInt() + " (" + t.path("name").asString() + ") in force: "
                            + t.path("reason").asString());
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "errors",
            description = "The errors overview: unresolved issues, counts, error rate.")
    static final class Errors extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode o = client().errors().overview();
            JsonNode rate = o.path("errorRate");
            System.out.printf(
                    "error rate %.2f%% over %d s (%d server errors + %d reported failures in %d requests)%n",
                    rate.path("rate").asDouble() * 100,
                    rate.path("windowSeconds").asLong(),
                    rate.path("serverErrors").asLong(),
                    rate.path("reportedFailures").asLong(),
                    rate.path("operations").asLong());
            System.out.println(
                    "last 24 h: " + o.path("last24hTotal").asLong() + " reports " + o.path("last24hByLevel"));
            System.out.println("unresolved issues: " + o.path("unresolvedCount").asLong() + " ("
                    + o.path("critical").asLong() + " fatal or error)");
            Table t = new Table("ISSUE", "LEVEL", "COUNT", "LAST SEEN", "AGENTS", "TITLE");
            for (JsonNode i : o.path("unresolved")) {
                t.row(
                        i.path("id").asString(),
                        i.path("level").asString(),
                        i.path("count").asLong(),
                        i.path("lastSeen").asString(),
                        i.path("agents").size(),
                        i.path("title").asString());
            }
            System.out.print(t.render());
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "alerts",
            description = "Alert rules, their state, and recent firings.")
    static final class Alerts extends Cli.Remote implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode a = client().ops().alerts(10);
            Table t = new Table("RULE", "SEVERITY", "STATE", "SINCE", "CONDITION", "SUMMARY");
            for (JsonNode r : a.path("rules")) {
                t.row(
                        r.path("name").asString(),
                        r.path("severity").asString(),
                        r.path("state").asString(),
                        r.path("since").asString(""),
                        r.path("condition").asString(),
                        r.path("lastReading")
                                .path("summary")
                                .asString(r.path("summary").asString()));
            }
            System.out.print(t.render());
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "selftest",
            description = "Run the self-test (exit code 1 if a check fails): verify a deploy.")
    static final class SelfTest extends Cli.Remote implements Callable<Integer> {
        @Option(names = "--tool", description = "Run only this check (names: hub selftest --list).")
        String tool;

        @Option(names = "--list", description = "List the checks (name, capability, scope) instead of running them.")
        boolean list;

        @Override
        public Integer call() {
            if (list) {
                Table t = new Table("CHECK", "CAPABILITY", "SCOPE", "WHAT IT CHECKS");
                for (JsonNode c : client().ops().selfTestChecks().path("checks")) {
                    t.row(
                            c.path("name").asString(),
                            c.path("capability").asString(),
                            c.path("scope").asString(),
                            c.path("description").asString());
                }
                System.out.print(t.render());
                return 0;
            }
            JsonNode run = client().ops().selfTest(tool);
            Table t = new Table("CHECK", "CAPABILITY", "STATUS", "MS", "MESSAGE");
            for (JsonNode r : run.path("results")) {
                t.row(
                        r.path("name").asString(),
                        r.path("capability").asString(),
                        r.path("status").asString(),
                        r.path("latencyMillis").asLong(),
                        r.path("message").asString());
            }
            System.out.print(t.render());
            System.out.println(
                    run.path("summary").asString() + " (" + run.path("skipped").asInt() + " skipped, "
                            + run.path("duration").asLong() + " ms)");
            return run.path("failed").asInt() == 0 ? 0 : 1;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "trace",
            description = "One agent's trail of calls, leases, messages and errors.")
    static final class Trace extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Agent id.")
        String agent;

        @Option(names = "--since", defaultValue = "1h", description = "An age (30m, 2h, 1d) or ISO time.")
        String since;

        @Override
        public Integer call() {
            JsonNode r = client().ops().trace(agent, since, null, 5000);
            Table t = new Table("AT", "KIND", "ACTION", "SUBJECT", "OUTCOME", "MS");
            for (JsonNode e : r.path("entries")) {
                t.row(
                        e.path("at").asString(),
                        e.path("kind").asString(),
                        e.path("action").asString(),
                        e.path("subject").asString(),
                        e.path("outcome").asString(),
                        e.path("millis").asLong());
            }
            System.out.print(t.render());
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "export",
            description = "Write a snapshot of all state (JSON lines) from a running hub, or offline.")
    static final class Export extends Cli.Remote implements Callable<Integer> {
        @Option(
                names = {"-o", "--out"},
                description = "File to write (default: standard output).")
        Path out;

        @Option(
                names = "--offline",
                description = "Read the store directly instead of asking a running hub (SQLite: the hub must be"
                        + " stopped; Redis: writes pause while it reads, as for a running hub).")
        boolean offline;

        @Option(
                names = "--set",
                description = "With --offline: any setting as key=value, as for serve (e.g. redis-url). Repeatable.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            ExportTally tally;
            try (OutputStream file = out == null ? null : new BufferedOutputStream(Files.newOutputStream(out))) {
                // Standard output stays open: it is the snapshot when there is no -o.
                tally = new ExportTally(file == null ? System.out : file);
                if (offline) {
                    HubConfig config = offlineConfig(dataDir, settings);
                    try (DataDirLock lock = config.usesRedis() ? null : DataDirLock.acquire(config.dataDir());
                            Stores stores = Hub.openStores(config)) {
                        SnapshotCodec.Writer w =
                                new SnapshotCodec.Writer(tally, Hub.VERSION, stores.backend(), Instant.now());
                        stores.snapshots().export(w::write);
                        w.finish();
                    }
                } else {
                    client().admin().exportTo(tally);
                }
                tally.flush();
            }
            // The report goes to standard error, which is never the snapshot.
            System.err.println("Exported " + tally.summary() + " to " + (out == null ? "standard output" : out) + ".");
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "import",
            description = "Restore a snapshot into an empty store: a new data directory, or a Redis key prefix without"
                    + " keys (the hub must be stopped; uses the serve settings).")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", description = "Snapshot file written by 'hub export'.")
        Path file;

        @Option(names = "--data-dir", description = "Data directory (default ./hub-data, or HUB_DATA_DIR).")
        String dataDir;

        @Option(names = "--set", description = "Any setting as key=value, as for serve. Repeatable.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            HubConfig config = offlineConfig(dataDir, settings);
            Files.createDirectories(config.dataDir());
            Map<String, Long> counts = new java.util.TreeMap<>();
            try (DataDirLock lock = config.usesRedis() ? null : DataDirLock.acquire(config.dataDir());
                    Stores stores = Hub.openStores(config);
                    BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Iterator<SnapshotRecord> records = SnapshotCodec.read(in);
                stores.snapshots().restore(new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return records.hasNext();
                    }

                    @Override
                    public SnapshotRecord next() {
                        SnapshotRecord r = records.next();
                        counts.merge(r.type(), 1L, Long::sum);
                        return r;
                    }
                });
            }
            System.out.println("Imported " + counts + " into "
                    + (config.usesRedis() ? "Redis prefix " + config.string(Setting.REDIS_PREFIX) : config.dataDir()));
            return 0;
        }
    }

    static HubConfig offlineConfig(String dataDir, Map<String, String> settings) {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        if (dataDir != null) {
            flags.put(Setting.DATA_DIR.key(), dataDir);
        }
        return HubConfig.load(System.getenv(), flags, null);
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "disable",
            description = "Disable an agent until it is enabled again: revoke its tokens and release its leases; it"
                    + " can neither enrol nor get a new token meanwhile.")
    static final class AgentDisable extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Agent id.")
        String id;

        @Option(names = "--reason", required = true, description = "Why (audited and announced).")
        String reason;

        @Override
        public Integer call() {
            JsonNode d = client().admin().disableAgent(id, reason);
            System.out.println("Disabled " + id + ": revoked "
                    + d.path("revokedTokens").asInt() + " token(s), released "
                    + d.path("releasedLeases").size() + " lease(s). It stays disabled until 'hub agent enable " + id
                    + "'.");
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "enable",
            description = "Enable a disabled agent again; then issue it a token with 'hub agent token'.")
    static final class AgentEnable extends Cli.Remote implements Callable<Integer> {
        @Parameters(index = "0", description = "Agent id.")
        String id;

        @Option(names = "--reason", description = "Why (optional; audited and announced).")
        String reason;

        @Override
        public Integer call() {
            JsonNode e = client().admin().enableAgent(id, reason);
            if (e.path("wasDisabled").asBoolean()) {
                JsonNode was = e.path("cleared");
                System.out.println("Enabled " + id + " (disabled by "
                        + was.path("by").asString() + " at "
                        + was.path("at").asString() + ": " + was.path("reason").asString() + "). Its old tokens stay"
                        + " revoked; issue a new one with 'hub agent token " + id + "'.");
            } else {
                System.out.println(id + " was not disabled; nothing changed.");
            }
            return 0;
        }
    }

    @Command(
            mixinStandardHelpOptions = true,
            name = "keys",
            description = "Key management.",
            subcommands = {KeysRotate.class})
    static final class Keys {}

    @Command(
            mixinStandardHelpOptions = true,
            name = "rotate",
            description = "Rotate the admin token and join keys (with --agents, every agent's and viewer's token too);"
                    + " the old ones work for --overlap.")
    static final class KeysRotate extends Cli.Remote implements Callable<Integer> {
        @Option(names = "--overlap", defaultValue = "1h", description = "How long the old keys keep working (0s-7d).")
        String overlap;

        @Option(names = "--agents", description = "Also give every agent and viewer a new token (printed once).")
        boolean agents;

        @Override
        public Integer call() {
            long seconds;
            try {
                seconds = HubConfig.parseDuration(overlap).toSeconds();
            } catch (IllegalArgumentException e) {
                throw new CliFailure("--overlap must be a duration such as 0s, 30m, 1h or 2d.");
            }
            JsonNode r = client().admin().rotateKeys(seconds, agents);
            System.out.println(r.path("adminToken").asString());
            System.err.println("New admin token above (shown once; the hub's admin-token file is updated if it was"
                    + " generated). The old admin token and join keys stop working at "
                    + r.path("oldValidUntil").asString() + ".");
            for (var e : r.path("joinKeys").properties()) {
                System.err.println(
                        "new join key for " + e.getKey() + ": " + e.getValue().asString());
            }
            for (var e : r.path("agentTokens").properties()) {
                System.err.println(
                        "new token for " + e.getKey() + ": " + e.getValue().asString());
            }
            return 0;
        }
    }
}
