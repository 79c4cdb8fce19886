package io.agenthub.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The load benchmark's command line: checks that the hub answers, runs the named workloads one after the other, and
 * prints a Markdown table of throughput, latency percentiles, conflicts and errors (and writes JSON with
 * {@code --json}). Only loopback URLs are accepted: the generator is meant to run beside the hub it measures.
 *
 * <p>{@code --url} may list several nodes of one hub that share a store (e.g. two nodes on one Redis). One generator
 * then drives the fleet: clients and simulated agents are dealt round-robin across the nodes, agents are created
 * through the first, and the results are the fleet's, with a line of requests per node.
 */
@Command(
        name = "hub-bench",
        mixinStandardHelpOptions = true,
        description = "Load benchmark for a live Agent Hub. Workloads: lease, chat-post, chat-read, heartbeat, mixed,"
                + " connections (default: all, in that order); also lease-new (lease with a new name each cycle, run"
                + " only when named).")
public final class LoadBench implements Callable<Integer> {
    static final List<Workload> WORKLOADS = List.of(
            new LeaseWorkload(),
            new ChatPostWorkload(),
            new ChatReadWorkload(),
            new HeartbeatWorkload(),
            new MixedWorkload(),
            new ConnectionsWorkload());

    @Option(
            names = "--url",
            paramLabel = "URL[,URL...]",
            description = "Hub base URL, loopback only (default: $HUB_URL or http://127.0.0.1:7700). Several nodes of"
                    + " one hub that share a store: a comma-separated list; clients and agents are dealt round-robin"
                    + " across them, agents are created through the first.")
    String url;

    @Option(
            names = "--token",
            description = "Admin token used to create the simulated agents (default: $HUB_ADMIN_TOKEN).")
    String token;

    @Option(
            names = "--join-key",
            description = "Enrol the simulated agents with this join key instead of the admin token.")
    String joinKey;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            description = "Measured seconds per workload (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "Unmeasured seconds before each workload's window (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(
            names = "--clients",
            defaultValue = "64",
            description = "Concurrent clients of lease, chat-post, chat-read and heartbeat (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--agents",
            description = "Simulated agents of mixed (default " + MixedWorkload.DEFAULT_AGENTS
                    + ") and connections (default " + ConnectionsWorkload.DEFAULT_AGENTS + ").")
    Integer agents;

    @Option(
            names = "--pool",
            defaultValue = "0",
            description =
                    "lease: clients contend for a shared pool of this many resources; 0 gives each client its own (default).")
    int pool;

    @Option(names = "--sse", description = "connections: hold GET /api/events streams instead of inbox long-polls.")
    boolean sse;

    @Option(
            names = "--channel",
            defaultValue = "bench",
            description = "Chat channel of chat-post and chat-read (default ${DEFAULT-VALUE}).")
    String channel;

    @Option(
            names = "--http-clients",
            defaultValue = "2",
            description =
                    "HttpClient instances (one selector thread each) that share the requests (default ${DEFAULT-VALUE}).")
    int httpClients;

    @Option(
            names = "--timeout",
            defaultValue = "10",
            description = "Per-request timeout in seconds; slower replies are errors (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--ramp",
            defaultValue = "5",
            description =
                    "connections: seconds over which the held requests are opened, before measuring (default ${DEFAULT-VALUE}).")
    double ramp;

    @Option(
            names = "--prewarm",
            defaultValue = "0",
            description = "Seconds of unmeasured load before the first workload (lease, heartbeat, chat-post and"
                    + " chat-read, those the server has), so that a fresh hub's JIT compiler is done (default"
                    + " ${DEFAULT-VALUE}; scripts/bench.sh uses 20).")
    double prewarm;

    /** How requests are sent. */
    enum Transport {
        JDK,
        SOCKET
    }

    @Option(
            names = "--transport",
            defaultValue = "socket",
            description =
                    "socket (default): a minimal blocking HTTP/1.1 client that costs the generator about a fifth of the"
                            + " CPU per request of jdk (java.net.http.HttpClient), leaving more of a shared machine to"
                            + " the hub.")
    Transport transport;

    @Option(
            names = "--api",
            defaultValue = "hub",
            description = "hub (default): this hub's API. original: the local server of the original TypeScript hub"
                    + " (no tokens; locks, agent status and one chat; see scripts/bench-original.sh), for comparisons"
                    + " with the same client; workloads lease, lease-new, heartbeat, chat-post and mixed.")
    Api api;

    @Option(
            names = "--hub-pid",
            paramLabel = "PID[,PID...]",
            description = "The hub's process id: reports its CPU use (Linux). scripts/bench.sh passes it. Several"
                    + " nodes: a comma-separated list; their CPU is summed, and also reported per process.")
    String hubPid;

    @Option(names = "--prefix", description = "Prefix of the simulated agents' ids (default bench-<random>).")
    String prefix;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    java.nio.file.Path json;

    @Option(
            names = "--meta",
            description = "A key=value line for the report header, e.g. --meta commit=abc123. Repeatable.")
    Map<String, String> meta = new LinkedHashMap<>();

    @Parameters(arity = "0..*", paramLabel = "WORKLOAD", description = "Workloads to run, in order.")
    List<String> names = new ArrayList<>();

    public static void main(String[] args) {
        CommandLine cl = commandLine(new LoadBench());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("hub-bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    /**
     * The parser. Later options win, so that scripts/bench.sh's defaults can be overridden on its command line; that
     * is why several URLs or pids are one comma-separated value rather than a repeated option.
     */
    static CommandLine commandLine(LoadBench bench) {
        return new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true);
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        List<Workload> selected = select();
        Settings settings = settings();
        String adminToken = token != null ? token : System.getenv("HUB_ADMIN_TOKEN");
        if (api == Api.ORIGINAL) {
            for (Workload w : selected) {
                require(
                        Api.ORIGINAL_WORKLOADS.contains(w.name()),
                        "--api original has no routes for " + w.name() + "; choose from "
                                + Api.ORIGINAL_WORKLOADS.stream().sorted().collect(Collectors.joining(", ")));
            }
        } else if (joinKey == null && (adminToken == null || adminToken.isBlank())) {
            throw new IllegalArgumentException(
                    "Give the admin token with --token or HUB_ADMIN_TOKEN (or a --join-key).");
        }
        Map<String, String> header = header(settings);
        ClientLimits limits = ClientLimits.read();
        header.put("client limits", limits.describe());
        limits.check(socketsNeeded(selected, settings)).forEach(w -> System.err.println("Warning: " + w));
        List<WorkloadResult> results = new ArrayList<>();
        for (URI node : settings.urls()) {
            try (HubHttp http = new HubHttp(List.of(node), 1, false)) {
                checkHealth(http, node);
            }
        }
        // Agents are created through the first node; the others find them in the shared store.
        try (HubHttp admin = new HubHttp(settings.urls().subList(0, 1), 1, false)) {
            String ids = prefix != null ? prefix : "bench-" + settings.runId();
            Roster roster =
                    api.authenticates() ? new Roster(admin, adminToken, joinKey, ids) : Roster.unauthenticated(ids);
            if (settings.urls().size() > 1) {
                checkSharedStore(settings, roster);
            }
            if (prewarm > 0) {
                prewarm(settings, roster);
            }
            for (Workload w : selected) {
                System.err.printf(
                        "Running %s (%.0f s warm-up, %.0f s measured)...%n",
                        w.name(), w.name().equals("connections") ? ramp : warmup, seconds);
                WorkloadResult r = w.run(settings, roster);
                results.add(r);
                System.err.print(Report.markdown(Map.of(), List.of(r)));
            }
        }
        System.out.print(Report.markdown(header, results));
        if (json != null) {
            Report.json(json, header, results);
            System.err.println("Wrote " + json);
        }
        return 0;
    }

    /**
     * A fresh hub spends about a third of its CPU compiling during its first half minute; that is start-up cost, not
     * throughput. The pre-warm time is shared by lease, heartbeat, chat-post and chat-read (those the server has), which
     * between them run every path of {@code mixed}: HTTP, routing, auth, JSON, the store's reads and writes, and the
     * chat's. Chat code left cold was compiled while a {@code mixed} run's 1,000 agents joined, lengthening the join.
     */
    private void prewarm(Settings s, Roster roster) throws InterruptedException {
        System.err.printf("Pre-warming the hub for %.0f s (not measured)...%n", prewarm);
        List<Workload> warmers = Stream.of(
                        new LeaseWorkload(), new HeartbeatWorkload(), new ChatPostWorkload(), new ChatReadWorkload())
                .filter(w -> s.api() == Api.HUB || Api.ORIGINAL_WORKLOADS.contains(w.name()))
                .toList();
        Settings warm = new Settings(
                s.urls(),
                prewarm / warmers.size(),
                0,
                s.clients(),
                s.agents(),
                0,
                s.sse(),
                s.channel(),
                s.httpClients(),
                s.timeout(),
                s.ramp(),
                s.runId(),
                List.of(),
                s.sockets(),
                s.api());
        for (Workload w : warmers) {
            w.run(warm, roster);
        }
    }

    /** Roughly the most connections any selected workload holds at once (long-polls plus some heartbeats). */
    private static int socketsNeeded(List<Workload> selected, Settings s) {
        return selected.stream()
                .mapToInt(w -> switch (w.name()) {
                    case "connections" -> s.agentsOr(ConnectionsWorkload.DEFAULT_AGENTS) * 11 / 10;
                    case "mixed" -> s.agentsOr(MixedWorkload.DEFAULT_AGENTS);
                    default -> s.clients();
                })
                .max()
                .orElse(0);
    }

    /** Workloads run only when named. */
    static final List<Workload> ON_REQUEST = List.of(new LeaseWorkload(true));

    private List<Workload> select() {
        Map<String, Workload> byName = Stream.concat(WORKLOADS.stream(), ON_REQUEST.stream())
                .collect(Collectors.toMap(Workload::name, Function.identity()));
        if (names.isEmpty()) {
            return WORKLOADS;
        }
        List<Workload> out = new ArrayList<>();
        for (String n : names) {
            Workload w = byName.get(n.toLowerCase(Locale.ROOT));
            if (w == null) {
                throw new IllegalArgumentException("Unknown workload '" + n + "'; choose from "
                        + byName.keySet().stream().sorted().collect(Collectors.joining(", ")) + ".");
            }
            out.add(w);
        }
        return out;
    }

    Settings settings() {
        List<URI> urls = urls(url != null ? url : System.getenv().getOrDefault("HUB_URL", "http://127.0.0.1:7700"));
        List<Long> pids = hubPids(hubPid);
        require(seconds > 0 && seconds <= 3600, "--seconds must be between 0 and 3600");
        require(warmup >= 0 && warmup <= 600, "--warmup must be between 0 and 600");
        require(ramp >= 0 && ramp <= 600, "--ramp must be between 0 and 600");
        require(prewarm >= 0 && prewarm <= 600, "--prewarm must be between 0 and 600");
        require(clients >= 1 && clients <= 10_000, "--clients must be between 1 and 10000");
        // Each agent may hold a connection of its own; the ephemeral port range (28232 ports by default on Linux)
        // and the open-file limit bound how many one generator can hold against one hub port.
        require(agents == null || (agents >= 1 && agents <= 25_000), "--agents must be between 1 and 25000");
        require(pool >= 0, "--pool must not be negative");
        require(httpClients >= 1 && httpClients <= 64, "--http-clients must be between 1 and 64");
        require(timeoutSeconds >= 1, "--timeout must be at least 1 second");
        String runId = Long.toString(
                ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36);
        return new Settings(
                urls,
                seconds,
                warmup,
                clients,
                agents,
                pool,
                sse,
                channel,
                httpClients,
                Duration.ofSeconds(timeoutSeconds),
                ramp,
                runId,
                pids,
                transport == Transport.SOCKET,
                api);
    }

    /** The comma-separated hub URLs, each checked to be a loopback http:// URL, none twice. */
    static List<URI> urls(String list) {
        List<URI> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String u = part.strip();
            require(!u.isEmpty(), "--url has an empty entry in '" + list + "'");
            URI base;
            try {
                base = new URI(u);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--url: '" + u + "' is not a URL.");
            }
            requireLoopback(base);
            base = base.normalize();
            require(!out.contains(base), "--url lists " + base + " twice");
            out.add(base);
        }
        return List.copyOf(out);
    }

    /** The comma-separated hub process ids; empty if none were given. */
    static List<Long> hubPids(String list) {
        if (list == null) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            long pid;
            try {
                pid = Long.parseLong(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--hub-pid takes process ids separated by commas; got '" + list + "'.");
            }
            require(pid > 0, "--hub-pid: process ids are positive");
            require(!out.contains(pid), "--hub-pid lists " + pid + " twice");
            out.add(pid);
        }
        return List.copyOf(out);
    }

    private static void requireLoopback(URI base) {
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException(
                    "--url must be an http:// URL such as http://127.0.0.1:7700; got " + base + ".");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(base.getHost())) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("--url must point at this machine (a loopback address); "
                            + base.getHost() + " resolves to " + a.getHostAddress() + ".");
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Cannot resolve " + base.getHost() + ".");
        }
    }

    /**
     * Several URLs must be nodes of one hub that share a store: an agent created through the first must be known to
     * every other. Fails fast otherwise (e.g. two independent SQLite hubs), instead of a run of 401 errors.
     */
    private static void checkSharedStore(Settings s, Roster roster) throws InterruptedException {
        SimAgent agent = roster.take(1).getFirst();
        for (URI node : s.urls().subList(1, s.urls().size())) {
            try (HubHttp http = new HubHttp(List.of(node), 1, false)) {
                Response r = http.send(0, http.get("/api/whoami", agent.token(), Duration.ofSeconds(10)));
                if (!r.is(200)) {
                    throw new IllegalStateException("The hub at " + node + " does not know the agent " + agent.id()
                            + " created through " + s.urls().getFirst() + " (" + r.describe()
                            + "). Several --url must be nodes of one hub sharing one store, such as one Redis.");
                }
            }
        }
    }

    private static void checkHealth(HubHttp http, URI base) throws InterruptedException {
        Response r = http.send(0, http.get("/api/health", null, Duration.ofSeconds(5)));
        if (!r.is(200)) {
            throw new IllegalStateException("The hub at " + base + " is not healthy (" + r.describe()
                    + "). Start it first, e.g. with scripts/bench.sh or ./hub serve.");
        }
    }

    private Map<String, String> header(Settings s) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        out.put("hub", s.urls().stream().map(URI::toString).collect(Collectors.joining(", ")));
        out.put(
                "generator",
                "Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs visible, "
                        + s.httpClients() + " HttpClients");
        out.put(
                "options",
                Stream.of(
                                "--seconds " + fmt(seconds),
                                "--warmup " + fmt(warmup),
                                "--clients " + clients,
                                agents != null ? "--agents " + agents : null,
                                pool > 0 ? "--pool " + pool : null,
                                sse ? "--sse" : null,
                                "--timeout " + timeoutSeconds,
                                "--transport " + transport.name().toLowerCase(Locale.ROOT),
                                api == Api.HUB ? null : "--api " + api.name().toLowerCase(Locale.ROOT),
                                prewarm > 0 ? "--prewarm " + fmt(prewarm) : null)
                        .filter(x -> x != null)
                        .collect(Collectors.joining(" ")));
        out.putAll(meta);
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message + ".");
        }
    }
}
