package io.agenthub.pool;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.Presence;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import io.agenthub.ops.Counters;
import io.agenthub.task.TaskService;
import io.agenthub.task.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Pools and versions, and the scaling advice built on them. An overview reads the online agents, each pool's queue
 * index, the claims in force and two windows of the shared counters that {@link PoolTally} fills: its cost follows
 * what is active, never the task history. At most {@link #MAX_POOLS} pools are shown.
 *
 * <p>Scaling down: {@link #scaleDown} chooses idle agents of a pool and marks each with the label {@value
 * #RETIRE_LABEL} (the time until which the directive holds). While it holds, the agent's claims get nothing and its
 * responses carry {@code Hub-Directive: checkpoint_exit}; it also gets an inbox notice.
 */
public final class PoolService {
    /** The most pools an overview shows (pools with agents first, then by name). */
    public static final int MAX_POOLS = 100;
    /** The agent label that carries a scale-down directive's end. */
    public static final String RETIRE_LABEL = "scale-down-until";

    private static final int MAX_CLAIMS_READ = 10_000;

    private final TaskStore tasks;
    private final AgentService agents;
    private final Counters counters;
    private final Supplier<ScalingRules.Fleet> fleet;
    private final ScalingPolicy policy;
    private final AuditLog audit;
    private final BiConsumer<String, String> notice;
    private final InstantSource clock;

    /**
     * @param fleet the tier in force and the budget, read once per evaluation
     * @param notice sends an inbox notice to an agent (id, text)
     */
    public PoolService(
            TaskStore tasks,
            AgentService agents,
            Counters counters,
            Supplier<ScalingRules.Fleet> fleet,
            ScalingPolicy policy,
            AuditLog audit,
            BiConsumer<String, String> notice,
            InstantSource clock) {
        this.tasks = tasks;
        this.agents = agents;
        this.counters = counters;
        this.fleet = fleet;
        this.policy = policy;
        this.audit = audit;
        this.notice = notice;
        this.clock = clock;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    /** Every pool (with agents or tasks), by name. */
    public List<PoolView> overview() {
        return overview(agents.list());
    }

    /** {@link #overview()} from a list of every agent the caller read already. */
    public List<PoolView> overview(List<Agent> all) {
        Instant now = clock.instant();
        Map<String, List<Agent>> byPool = new TreeMap<>();
        for (Agent a : all) {
            if (a.role() == Role.AGENT) {
                byPool.computeIfAbsent(TaskService.poolOf(a), k -> new ArrayList<>())
                        .add(a);
            }
        }
        TreeSet<String> names = new TreeSet<>(byPool.keySet());
        for (String p : tasks.pools()) {
            if (names.size() >= MAX_POOLS) {
                break;
            }
            names.add(p);
        }
        Map<String, Set<String>> busy = tasks.busyAgents(now, MAX_CLAIMS_READ);
        Counters.Window w = counters.window(policy.window());
        Counters.Window before = counters.previousWindow(policy.window());
        Map<String, Map<String, Map<String, Long>>> current = parse(w.totals());
        Map<String, Map<String, Map<String, Long>>> previous = parse(before.totals());
        double minutes = Math.max(1, policy.window().toSeconds() / 60.0);
        List<PoolView> out = new ArrayList<>();
        for (String pool : names) {
            out.add(view(
                    pool,
                    byPool.getOrDefault(pool, List.of()),
                    busy.getOrDefault(pool, Set.of()),
                    tasks.queue(pool),
                    current.getOrDefault(pool, Map.of()),
                    previous.getOrDefault(pool, Map.of()),
                    minutes,
                    now));
        }
        return out;
    }

    /** The scaling advice for every pool of {@link #overview}. */
    public List<ScalingRules.Advice> scaling() {
        return scaling(overview());
    }

    /** The scaling advice for the given pools. */
    public List<ScalingRules.Advice> scaling(List<PoolView> pools) {
        ScalingRules.Fleet f = fleet.get();
        return pools.stream().map(p -> ScalingRules.evaluate(p, f, policy)).toList();
    }

    /** The idle agents a scale-down of {@code pool} would choose, most recently active last. */
    public List<String> idleAgents(String pool) {
        Instant now = clock.instant();
        Set<String> busy = tasks.busyAgents(now, MAX_CLAIMS_READ).getOrDefault(pool, Set.of());
        return agents.list().stream()
                .filter(a -> a.role() == Role.AGENT && TaskService.poolOf(a).equals(pool))
                .filter(a -> online(a)
                        && !busy.contains(a.id())
                        && retiringUntil(a, now).isEmpty())
                .sorted(Comparator.comparing(Agent::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Agent::id))
                .map(Agent::id)
                .toList();
    }

    /**
     * Tells up to {@code count} idle agents of {@code pool} to checkpoint and exit: each gets the directive label (see
     * {@link #RETIRE_LABEL}) and an inbox notice. Returns the agents chosen (fewer when fewer are idle). Admins only.
     */
    public List<String> scaleDown(Principal caller, String pool, int count) {
        caller.requireAdmin();
        Require.id("pool", pool);
        Require.range("count", count, 1, 1000);
        Instant until = clock.instant().plus(policy.retireFor());
        List<String> chosen = new ArrayList<>();
        for (String id : idleAgents(pool)) {
            if (chosen.size() == count) {
                break;
            }
            Map<String, String> label = new HashMap<>();
            label.put(RETIRE_LABEL, until.toString());
            agents.updateProfile(caller, id, new AgentService.Profile(null, null, label));
            notice.accept(
                    id,
                    "The hub is scaling pool " + pool + " down: save a checkpoint, finish nothing new and exit. New"
                            + " claims get no task until " + until + ".");
            chosen.add(id);
        }
        audit.record(
                Principal.ADMIN_ID,
                "pool.scale_down",
                pool,
                Map.of("asked", Integer.toString(count), "agents", String.join(",", chosen)));
        if (chosen.isEmpty()) {
            throw new HubException.Conflict(
                    "no_idle_agents",
                    "Pool " + pool + " has no idle online agent to scale down; retry when one has finished its task.",
                    Map.of("pool", pool));
        }
        return chosen;
    }

    /** Until when {@code agentId} is told to checkpoint and exit, if it is now. */
    public Optional<Instant> retiring(String agentId) {
        return agents.find(agentId).flatMap(this::retiring);
    }

    /** As {@link #retiring(String)}, for an agent record the caller already read (no store read). */
    public Optional<Instant> retiring(Agent agent) {
        return retiringUntil(agent, clock.instant());
    }

    private static Optional<Instant> retiringUntil(Agent a, Instant now) {
        String v = a.labels().get(RETIRE_LABEL);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant until = Instant.parse(v);
            return until.isAfter(now) ? Optional.of(until) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean online(Agent a) {
        return a.presence() == Presence.ONLINE && a.disabled() == null;
    }

    private PoolView view(
            String pool,
            List<Agent> members,
            Set<String> busyIds,
            TaskStore.QueueStats queue,
            Map<String, Map<String, Long>> current,
            Map<String, Map<String, Long>> previous,
            double minutes,
            Instant now) {
        Map<String, int[]> presence = new TreeMap<>();
        int online = 0;
        int busy = 0;
        for (Agent a : members) {
            int[] c = presence.computeIfAbsent(TaskService.versionOf(a), k -> new int[4]);
            boolean isOnline = online(a);
            if (isOnline) {
                c[0]++;
                online++;
                if (busyIds.contains(a.id())) {
                    c[3]++;
                    busy++;
                }
            } else if (a.presence() == Presence.STALE && a.disabled() == null) {
                c[1]++;
            } else {
                c[2]++;
            }
        }
        current.keySet().forEach(version -> presence.computeIfAbsent(version, k -> new int[4]));
        List<PoolView.VersionView> versions = new ArrayList<>();
        long claims = 0;
        long completions = 0;
        for (Map.Entry<String, int[]> e : presence.entrySet()) {
            Map<String, Long> k = current.getOrDefault(e.getKey(), Map.of());
            long done = k.getOrDefault("done", 0L);
            long failed = k.getOrDefault("failed", 0L);
            long lost = k.getOrDefault("lost", 0L);
            long claimed = k.getOrDefault("claimed", 0L);
            claims += claimed;
            completions += done + failed;
            long ended = done + failed + lost;
            int[] c = e.getValue();
            if (c[0] + c[1] + c[2] == 0 && claimed + ended == 0) {
                continue;
            }
            versions.add(new PoolView.VersionView(
                    e.getKey(),
                    c[0],
                    c[1],
                    c[2],
                    c[3],
                    claimed / minutes,
                    done,
                    failed,
                    lost,
                    ended == 0 ? null : (double) done / ended,
                    done + failed == 0 ? null : k.getOrDefault("ms", 0L) / 1000.0 / (done + failed)));
        }
        Instant oldest = queue.oldestCreatedAt();
        return new PoolView(
                pool,
                members.size(),
                online,
                busy,
                online == 0 ? 0 : (double) busy / online,
                queue.depth(),
                oldest,
                oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds()),
                sum(current, "created") / minutes,
                claims / minutes,
                completions / minutes,
                meanWait(current),
                meanWait(previous),
                versions);
    }

    private static double meanWait(Map<String, Map<String, Long>> byVersion) {
        long firstClaims = 0;
        long ms = 0;
        for (Map<String, Long> k : byVersion.values()) {
            ms += k.getOrDefault("wait_ms", 0L);
            firstClaims += k.getOrDefault("first", 0L);
        }
        return firstClaims == 0 ? 0 : ms / 1000.0 / firstClaims;
    }

    private static long sum(Map<String, Map<String, Long>> byVersion, String kind) {
        return byVersion.values().stream()
                .mapToLong(k -> k.getOrDefault(kind, 0L))
                .sum();
    }

    /** pool -> version -> kind -> total, from counters named {@code task|kind|pool|version}. */
    static Map<String, Map<String, Map<String, Long>>> parse(Map<String, Long> totals) {
        Map<String, Map<String, Map<String, Long>>> out = new HashMap<>();
        totals.forEach((name, value) -> {
            if (!name.startsWith(PoolTally.PREFIX)) {
                return;
            }
            String[] parts = name.split("\\|", 4);
            if (parts.length != 4) {
                return;
            }
            out.computeIfAbsent(parts[2], k -> new HashMap<>())
                    .computeIfAbsent(parts[3], k -> new HashMap<>())
                    .merge(parts[1], value, Long::sum);
        });
        return out;
    }
}
