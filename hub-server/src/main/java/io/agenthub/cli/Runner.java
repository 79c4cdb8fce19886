package io.agenthub.cli;

import io.agenthub.client.Checkpoints;
import io.agenthub.client.HubClient;
import io.agenthub.client.HubProblem;
import io.agenthub.client.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * The agent runner behind {@code hub runner}: keeps between {@code min} and {@code max} agents of one pool, each a
 * slot with a stable identity ({@code <pool>-runner-<host>-<n>}, enrolled once with the join key, its token cached in
 * the state directory). A slot claims a task of its pool, starts one process for it from the command template, renews
 * the claim and heartbeats while it runs, and turns the exit code into complete (0) or fail (1-127, the reason from
 * the end of stderr). A process killed by a signal (exit 128 and up) crashed: it is started again as the same agent,
 * at most {@code restarts} times, so that the hub's hot-start briefing restores it. Slots are added while tasks are
 * queued or the hub's scaling recommendation for the pool ({@code GET /api/scaling}) says add. A slot leaves (saves a
 * checkpoint, says it is idle, ends) while more than {@code min} remain when it was idle for {@code idleExit}, when the
 * hub recommends fewer agents for the pool, or when the hub told its agent to checkpoint and exit (the scale-down
 * directive on its claim). A budget halt or tier 4 stops new starts; running processes finish.
 */
final class Runner implements AutoCloseable {
    /** What the runner does; durations must be positive. */
    record Settings(
            String hubUrl,
            String joinKey,
            String pool,
            String template,
            int min,
            int max,
            Duration idleExit,
            Path stateDir,
            Path logDir,
            Path workDir,
            String host,
            Duration poll,
            Duration claimWait,
            Duration claimTtl,
            int restarts,
            Duration stopGrace,
            long logMaxBytes,
            int logKeep) {}

    /** One process start: which agent, which task, which attempt (0 first, then restarts after crashes). */
    record Start(String agentId, String taskId, int attempt) {}

    private static final int TAIL_CHARS = 1_000;

    private final Settings s;
    private final PrintStream log;
    private final Map<Integer, Slot> slots = new ConcurrentHashMap<>();
    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private volatile String paused;
    private volatile Set<String> halted = Set.of();
    private volatile long backoffUntil = System.nanoTime();
    private HubClient reader;
    /** Idle slots the hub's recommendation asks to leave, with the reason; taken one by one by idle slots. */
    private final AtomicInteger toRetire = new AtomicInteger();

    private final AtomicReference<String> retireWhy = new AtomicReference<>("");
    private volatile String lastAdvice = "";
    /**
     * Agents that left but that the hub may still count as online (until they go stale): a recommendation to remove
     * agents is reduced by them, so one recommendation does not empty the pool.
     */
    private final Set<String> departed = ConcurrentHashMap.newKeySet();

    Runner(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /** The agent id of slot {@code n}. */
    static String agentId(String pool, String host, int n) {
        String id = pool + "-runner-" + host + "-" + n;
        return id.length() <= 64 ? id : id.substring(0, 64 - Integer.toString(n).length() - 1) + "-" + n;
    }

    /** This machine's name as it may appear in an agent id. */
    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "host";
            }
        }
        h = h.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+", "");
        h = h.contains(".") ? h.substring(0, h.indexOf('.')) : h;
        return h.isEmpty() ? "host" : h.substring(0, Math.min(h.length(), 24));
    }

    /** Runs until {@link #close} (or a signal's shutdown hook) stops it. */
    void run() throws InterruptedException {
        say("pool " + s.pool() + ", " + s.min() + " to " + s.max() + " agents, hub " + s.hubUrl());
        while (!stopping.get()) {
            if (reader == null) {
                try {
                    reader = client(token(1));
                } catch (CliFailure | HubProblem e) {
                    say(e.getMessage() + "; trying again in "
                            + s.poll().multipliedBy(10).toSeconds() + " s");
                    Thread.sleep(s.poll().multipliedBy(10).toMillis());
                    continue;
                }
            }
            refreshPause();
            int queued = queued();
            int busy = (int) slots.values().stream().filter(Slot::busy).count();
            Advice advice = advice();
            int want = want(s.min(), s.max(), slots.size(), busy, queued, advice);
            int idle = slots.size() - busy;
            int leave = advice.action().equals("remove") ? Math.min(advice.count() - ghosts(), idle) : 0;
            leave = Math.max(0, Math.min(leave, slots.size() - s.min()));
            retireWhy.set("the hub recommends " + advice.count() + " fewer agent(s) for pool " + s.pool() + " ("
                    + advice.reason() + ")");
            toRetire.set(queued > 0 ? 0 : leave);
            if (paused == null && System.nanoTime() - backoffUntil >= 0) {
                for (int n = 1; slots.size() < want && n <= s.max(); n++) {
                    if (!slots.containsKey(n)) {
                        Slot slot = new Slot(n, agentId(s.pool(), s.host(), n));
                        slots.put(n, slot);
                        Thread.ofVirtual().name(slot.agentId).start(slot::work);
                    }
                }
            }
            Thread.sleep(s.poll().toMillis());
        }
    }

    /** The hub's scaling recommendation for one pool: {@code add}, {@code remove} or {@code hold} {@code count}. */
    record Advice(String action, int count, String reason) {
        static final Advice NONE = new Advice("hold", 0, "no recommendation");
    }

    /**
     * How many agents to run: enough for the busy ones and the queue, more when the hub recommends adding, fewer
     * (never below the busy ones and the queue) when it recommends removing; always between min and max.
     */
    static int want(int min, int max, int alive, int busy, int queued, Advice advice) {
        int need = busy + Math.max(queued, 0);
        int target = switch (advice.action()) {
            case "add" -> Math.max(need, alive + advice.count());
            case "remove" -> Math.max(need, Math.min(alive, alive - advice.count()));
            default -> need;
        };
        return Math.min(max, Math.max(min, target));
    }

    /** How many of the agents that left the hub still counts as online; those it no longer does are forgotten. */
    private int ghosts() {
        int n = 0;
        for (String id : departed) {
            try {
                var a = reader.agents().get(id).agent();
                if (a != null && "online".equalsIgnoreCase(a.presence())) {
                    n++;
                    continue;
                }
            } catch (HubProblem e) {
                // Unknown or unreadable: it no longer counts.
            }
            departed.remove(id);
        }
        return n;
    }

    /** The hub's recommendation for this runner's pool, or {@link Advice#NONE} when the hub did not say. */
    private Advice advice() {
        try {
            for (var row : reader.ops().scaling().path("pools")) {
                if (row.path("pool").asString("").equals(s.pool())) {
                    Advice a = new Advice(
                            row.path("action").asString("hold"),
                            row.path("count").asInt(0),
                            row.path("reason").asString(""));
                    String text = a.action() + " " + a.count() + " (" + a.reason() + ")";
                    if (!a.action().equals("hold") && !text.equals(lastAdvice)) {
                        say("the hub recommends: " + text);
                    }
                    lastAdvice = text;
                    return a;
                }
            }
        } catch (HubProblem e) {
            say("cannot read the hub's scaling recommendation: " + e.getMessage());
        }
        return Advice.NONE;
    }

    /** Stops claiming, asks running processes to end (SIGTERM; they checkpoint), and waits for every slot. */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        say("stopping: asking " + running.get() + " running agent(s) to checkpoint and exit");
        for (Slot slot : slots.values()) {
            slot.terminate();
        }
        long deadline = System.nanoTime() + s.stopGrace().toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (Slot slot : slots.values()) {
            slot.join(deadline);
        }
        say("stopped");
    }

    /** Every process start so far. */
    List<Start> starts() {
        return List.copyOf(starts);
    }

    /** Slots (agents) alive now, busy or idle. */
    int agents() {
        return slots.size();
    }

    /** The most processes that ran at once. */
    int mostRunning() {
        return mostRunning.get();
    }

    /** Why new starts are stopped, or null. */
    String paused() {
        return paused;
    }

    private void refreshPause() {
        try {
            JsonNode tier = reader.ops().tier();
            JsonNode budget = reader.usage().budget();
            Set<String> scopes = new java.util.HashSet<>();
            budget.path("halts").forEach(h -> scopes.add(h.path("scope").asString("")));
            halted = Set.copyOf(scopes);
            String why = scopes.contains("fleet")
                    ? "the fleet's budget is halted (an admin acknowledges it: hub budget acknowledge)"
                    : tier.path("tier").asInt() == 4
                            ? "the hub is in tier 4 (" + tier.path("reason").asString("") + ")"
                            : null;
            if (why != null && !why.equals(paused)) {
                say("no new starts: " + why);
            } else if (why == null && paused != null) {
                say("new starts resume");
            }
            paused = why;
        } catch (HubProblem e) {
            say("cannot read the hub's tier and budget: " + e.getMessage());
        }
    }

    /** Queued tasks of the pool (at most 200 counted), or -1 if the hub did not say. */
    private int queued() {
        try {
            return queued(reader, s.pool());
        } catch (HubProblem e) {
            say("cannot read the queue: " + e.getMessage());
            return -1;
        }
    }

    /** Queued tasks of {@code pool}, at most 200 counted. */
    static int queued(HubClient hub, String pool) {
        return hub.tasks().list("queued", pool, null, 0, 200).tasks().size();
    }

    private HubClient client(String token) {
        return Connect.to(s.hubUrl(), token);
    }

    /** Slot {@code n}'s token: cached in the state directory, or enrolled now with the join key. */
    private String token(int n) {
        String id = agentId(s.pool(), s.host(), n);
        Path file = s.stateDir().resolve(id + ".token");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getMessage());
        }
        if (s.joinKey() == null || s.joinKey().isBlank()) {
            throw new CliFailure("no token cached for " + id + " in " + s.stateDir()
                    + " and no join key to enrol it: set HUB_JOIN_KEY (or --join-key); create one with hub join-key.");
        }
        String token;
        try {
            token = enrol(id, Map.of("pool", s.pool(), "runner", s.host()));
        } catch (HubProblem e) {
            throw new CliFailure("cannot enrol " + id + " (" + e.getMessage() + "). If the agent exists but its"
                    + " token file is gone, write a new token (hub agent token " + id + ") to " + file + ".");
        }
        TokenCache.store(file, token);
        say("enrolled " + id + " (token cached in " + file + ")");
        return token;
    }

    /**
     * Enrols with the pool and runner labels; a hub where agents may not set the pool label on themselves (the join
     * key fixes it) refuses that with 403, and the runner then enrols without them.
     */
    private String enrol(String id, Map<String, String> labels) {
        try {
            return client(null)
                    .agents()
                    .enroll(s.joinKey(), id, null, null, labels)
                    .token();
        } catch (HubProblem.Forbidden e) {
            return client(null)
                    .agents()
                    .enroll(s.joinKey(), id, null, null, null)
                    .token();
        }
    }

    private void say(String line) {
        log.println(Instant.now() + " runner: " + line);
    }

    /** Puts {@code value} in single quotes for /bin/sh: agents' text never becomes shell syntax. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** The template with {@code {placeholders}} replaced by shell-quoted values. */
    static String expand(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", shellQuote(e.getValue()));
        }
        return out;
    }

    /** The placeholders and environment of one start. */
    static Map<String, String> placeholders(
            String hubUrl, String pool, String agentId, String taskId, String title, Path bodyFile) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("hub_url", hubUrl);
        v.put("pool", pool);
        v.put("agent_id", agentId);
        v.put("task_id", taskId);
        v.put("task_title", title);
        v.put("task_body_file", bodyFile.toString());
        return v;
    }

    /** One agent: claims, runs, reports; retires when idle too long while more than min remain. */
    private final class Slot {
        final int n;
        final String agentId;
        private volatile Thread thread;
        private volatile Process process;
        private volatile List<ProcessHandle> family = List.of();
        private volatile boolean busy;
        private HubClient hub;
        private String token;

        Slot(int n, String agentId) {
            this.n = n;
            this.agentId = agentId;
        }

        boolean busy() {
            return busy;
        }

        void work() {
            thread = Thread.currentThread();
            try {
                token = token(n);
                hub = client(token);
                var me = hub.agents().whoami().agent();
                String label =
                        me == null || me.labels() == null ? "" : me.labels().getOrDefault("pool", "");
                if (!label.equals(s.pool())) {
                    throw new CliFailure("its pool label is '" + label + "', not '" + s.pool() + "', so it would"
                            + " claim another pool's tasks; an admin sets it (PATCH /api/agents/" + agentId
                            + " with labels.pool), or enrol with a join key whose labels fix pool=" + s.pool());
                }
                departed.remove(agentId);
                say(agentId + " is up");
                Instant idleSince = Instant.now();
                while (!stopping.get()) {
                    if (paused != null || halted.contains("agent:" + agentId)) {
                        sleep(s.poll());
                    } else {
                        Duration idleLeft = s.idleExit().minus(Duration.between(idleSince, Instant.now()));
                        Tasks.Claimed claim = claim(idleLeft);
                        if (claim != null) {
                            busy = true;
                            try {
                                runTask(claim);
                            } finally {
                                busy = false;
                                idleSince = Instant.now();
                            }
                            continue;
                        }
                    }
                    if (!stopping.get() && leave(idleSince)) {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                say(agentId + " stopped: " + e.getMessage() + "; new agents wait "
                        + s.poll().multipliedBy(10).toSeconds() + " s");
                backoffUntil = System.nanoTime() + s.poll().multipliedBy(10).toNanos();
                slots.remove(n, this);
            }
        }

        /**
         * Whether this idle slot leaves now: the hub told its agent to checkpoint and exit, the hub recommends fewer
         * agents for the pool, or it was idle for {@code idleExit}; never below {@code min} agents.
         */
        private boolean leave(Instant idleSince) {
            if (exitAsked) {
                exitAsked = false;
                if (retire("the hub told " + agentId + " to checkpoint and exit (scale-down)")) {
                    return true;
                }
                say(agentId + " stays although the hub asked it to exit: --min " + s.min() + " agents are kept");
            }
            if (toRetire.getAndUpdate(k -> Math.max(0, k - 1)) > 0 && retire(retireWhy.get())) {
                return true;
            }
            return Duration.between(idleSince, Instant.now()).compareTo(s.idleExit()) >= 0
                    && retire("idle for " + s.idleExit().toSeconds() + " s");
        }

        private volatile boolean exitAsked;

        /** A claim that waits at most the claim wait, and no longer than the slot may stay idle (at least 1 s). */
        private Tasks.Claimed claim(Duration idleLeft) {
            Duration wait = idleLeft.compareTo(s.claimWait()) < 0 ? idleLeft : s.claimWait();
            long waitMillis = Math.max(1_000, wait.toMillis());
            try {
                var claimed = hub.tasks().claim(s.claimTtl(), Duration.ofMillis(waitMillis));
                if (claimed.isEmpty() && hub.tasks().exitRequested()) {
                    exitAsked = true;
                }
                return claimed.orElse(null);
            } catch (HubProblem e) {
                if (e.status() != 503 && !stopping.get()) {
                    say(agentId + " cannot claim: " + e.getMessage());
                }
                sleep(s.poll());
                return null;
            }
        }

        /** Leaves the pool if more than min agents remain: saves a checkpoint and says it is idle. */
        private boolean retire(String why) {
            synchronized (slots) {
                if (slots.size() <= s.min()) {
                    return false;
                }
                departed.add(agentId);
                slots.remove(n);
            }
            try {
                hub.checkpoints()
                        .save(new Checkpoints.Data(
                                "",
                                "Scaled down by hub runner on " + s.host() + ": " + why + ".",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null));
                hub.agents().heartbeat("IDLE", "", null);
            } catch (HubProblem e) {
                say(agentId + " could not checkpoint before leaving: " + e.getMessage());
            }
            say(agentId + " left: " + why);
            return true;
        }

        private void runTask(Tasks.Claimed claim) {
            String taskId = claim.id();
            long claimToken = claim.token();
            Tasks.Task task = claim.task();
            String title = task.title() == null ? "" : task.title();
            if (stopping.get()) {
                settle(taskId, claimToken, 1, "", "the runner was stopping when it claimed the task");
                return;
            }
            Path body;
            try {
                Path dir = Files.createDirectories(s.stateDir().resolve("tasks"));
                body = dir.resolve(taskId + ".md");
                Files.writeString(
                        body, title + "\n\n" + (task.body() == null ? "" : task.body()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                settle(taskId, claimToken, 1, "", "the runner cannot write the task file: " + e.getMessage());
                return;
            }
            beat("BUSY", title);
            Map<String, String> values = placeholders(s.hubUrl(), s.pool(), agentId, taskId, title, body);
            for (int attempt = 0; ; attempt++) {
                Outcome o = runOnce(values, taskId, claimToken, attempt);
                if (o.lost()) {
                    say(agentId + " lost its claim on " + taskId + "; the process was stopped");
                    break;
                }
                if (o.code() >= 128 && attempt < s.restarts() && !stopping.get()) {
                    say(agentId + " crashed on " + taskId + " (exit " + o.code() + "); starting it again as "
                            + agentId);
                    continue;
                }
                String reason = stopping.get()
                        ? "stopped by hub runner before it finished (exit " + o.code() + ")"
                        : o.code() >= 128
                                ? "crashed " + (attempt + 1) + " time(s), last exit " + o.code()
                                : "exit code " + o.code();
                settle(
                        taskId,
                        claimToken,
                        stopping.get() && o.code() == 0 ? 1 : o.code(),
                        o.out(),
                        reason + (o.err().isBlank() ? "" : ": " + o.err()));
                break;
            }
            beat("IDLE", "");
        }

        private record Outcome(int code, boolean lost, String out, String err) {}

        private Outcome runOnce(Map<String, String> values, String taskId, long claimToken, int attempt) {
            try {
                writeHotStart(); // before each start: after a crash it names the checkpoint the process saved
            } catch (IOException e) {
                say(agentId + " cannot write its hot-start file: " + e.getMessage());
            }
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", expand(s.template(), values));
            pb.directory(s.workDir().toFile());
            Map<String, String> env = pb.environment();
            env.remove("HUB_ADMIN_TOKEN");
            env.remove("HUB_JOIN_KEY");
            env.put("HUB_URL", s.hubUrl());
            env.put("HUB_TOKEN", token);
            env.put("HUB_AGENT_ID", agentId);
            env.put("HUB_POOL", s.pool());
            env.put("HUB_TASK_ID", taskId);
            env.put("HUB_TASK_TITLE", values.get("task_title"));
            env.put("HUB_TASK_BODY", values.get("task_body_file"));
            env.put("HUB_HOT_START", hotStartFile().toString());
            env.put("HUB_RESTART", Integer.toString(attempt));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Outcome(127, false, "", "cannot start /bin/sh: " + e.getMessage());
            }
            process = p;
            starts.add(new Start(agentId, taskId, attempt));
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            say(agentId + " started " + taskId + (attempt > 0 ? " (restart " + attempt + ")" : "") + ", pid "
                    + p.pid());
            Tail out = new Tail();
            Tail err = new Tail();
            Thread o = pump(p.getInputStream(), s.logDir().resolve(agentId + ".out.log"), out);
            Thread e = pump(p.getErrorStream(), s.logDir().resolve(agentId + ".err.log"), err);
            AtomicBoolean lost = new AtomicBoolean();
            long every = Math.max(200, s.claimTtl().toMillis() / 3);
            try {
                while (!p.waitFor(every, TimeUnit.MILLISECONDS)) {
                    if (!renew(taskId, claimToken)) {
                        lost.set(true);
                        p.descendants().forEach(ProcessHandle::destroy);
                        p.destroy();
                    }
                }
                o.join(5_000);
                e.join(5_000);
            } catch (InterruptedException ie) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
                process = null;
            }
            return new Outcome(p.exitValue(), lost.get(), out.text(), err.text());
        }

        /** Renews the claim and heartbeats; false once the claim is lost (another holder or expired). */
        private boolean renew(String taskId, long claimToken) {
            try {
                hub.tasks().renew(taskId, claimToken, s.claimTtl());
                return true;
            } catch (HubProblem e) {
                if (e.status() == 409 || e.status() == 404) {
                    return false;
                }
                say(agentId + " could not renew " + taskId + ": " + e.getMessage());
                return true;
            }
        }

        private void settle(String taskId, long claimToken, int code, String out, String reason) {
            boolean interrupted = Thread.interrupted(); // a stop's interrupt must not keep the report from the hub
            try {
                report(taskId, claimToken, code, out, reason);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void report(String taskId, long claimToken, int code, String out, String reason) {
            try {
                if (code == 0) {
                    hub.tasks().complete(taskId, claimToken, out.isBlank() ? "exit code 0" : out);
                    say(agentId + " completed " + taskId);
                } else {
                    hub.tasks().fail(taskId, claimToken, reason.length() > 2_000 ? reason.substring(0, 2_000) : reason);
                    say(agentId + " failed " + taskId + ": " + reason);
                }
            } catch (HubProblem e) {
                // The agent may have completed or failed the task itself through the hub.
                say(agentId + " could not report " + taskId + ": " + e.getMessage());
            }
        }

        private void beat(String status, String task) {
            try {
                hub.agents().heartbeat(status, task, null);
            } catch (HubProblem e) {
                say(agentId + " heartbeat failed: " + e.getMessage());
            }
        }

        private Path hotStartFile() {
            return s.stateDir().resolve(agentId + ".hot-start.md");
        }

        /** The hub's briefing for this agent (identity, checkpoint, handoffs, leases, messages), for the process. */
        private void writeHotStart() throws IOException {
            String md;
            try {
                md = hub.ops().hotStartMarkdown(null, 12_000);
            } catch (HubProblem e) {
                md = "";
            }
            Files.writeString(hotStartFile(), md, StandardCharsets.UTF_8);
        }

        /**
         * SIGTERM to the process and its children (a shell waiting on a child would not pass it on); an idle slot's
         * long poll is interrupted.
         */
        void terminate() {
            Process p = process;
            if (p != null) {
                family = p.descendants().toList();
                family.forEach(ProcessHandle::destroy);
                p.destroy();
            } else if (!busy && thread != null) {
                thread.interrupt();
            }
        }

        void join(long deadlineNanos) {
            Thread t = thread;
            Process p = process;
            try {
                if (p != null && !p.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    say(agentId + " did not exit within the grace period; killing it");
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                // The process's children (the agent under a shell) may still be saving their checkpoint.
                for (ProcessHandle h : family) {
                    try {
                        h.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                        h.destroyForcibly();
                    }
                }
                if (t != null) {
                    t.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Thread pump(InputStream in, Path file, Tail tail) {
        return Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try (RotatingLog out = new RotatingLog(file, s.logMaxBytes(), s.logKeep());
                    InputStream src = in) {
                for (int r; (r = src.read(buf)) > 0; ) {
                    out.write(buf, r);
                    tail.add(buf, r);
                }
            } catch (IOException e) {
                say("log " + file + ": " + e.getMessage());
            }
        });
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@link #TAIL_CHARS} characters written (for a fail reason or a result). */
    private static final class Tail {
        private final StringBuilder text = new StringBuilder();

        synchronized void add(byte[] buf, int n) {
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            if (text.length() > 2 * TAIL_CHARS) {
                text.delete(0, text.length() - TAIL_CHARS);
            }
        }

        synchronized String text() {
            String t = text.toString().strip();
            return t.length() > TAIL_CHARS ? t.substring(t.length() - TAIL_CHARS) : t;
        }
    }

    /** Appends to {@code file}; past {@code maxBytes} it becomes {@code file.1} (older ones shift up to keep). */
    static final class RotatingLog implements AutoCloseable {
        private final Path file;
        private final long maxBytes;
        private final int keep;
        private java.io.OutputStream out;
        private long size;

        RotatingLog(Path file, long maxBytes, int keep) throws IOException {
            this.file = file;
            this.maxBytes = maxBytes;
            this.keep = keep;
            Files.createDirectories(file.toAbsolutePath().getParent());
            open();
        }

        private void open() throws IOException {
            out = Files.newOutputStream(
                    file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            size = Files.size(file);
        }

        void write(byte[] buf, int n) throws IOException {
            if (size > 0 && size + n > maxBytes) {
                out.close();
                for (int i = keep - 1; i >= 1; i--) {
                    Path from = Path.of(file + "." + i);
                    if (Files.exists(from)) {
                        Files.move(
                                from, Path.of(file + "." + (i + 1)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(file, Path.of(file + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                open();
            }
            out.write(buf, 0, n);
            out.flush();
            size += n;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** What {@code --dry-run} prints: the agents it would run and the command of a task's process. */
    List<String> plan(int queued) {
        List<String> lines = new ArrayList<>();
        int want = Math.min(s.max(), Math.max(s.min(), Math.max(queued, 0)));
        lines.add("pool " + s.pool() + ": " + s.min() + " to " + s.max() + " agents; "
                + (queued < 0 ? "queue not read" : queued + " task(s) queued") + "; would start " + want + " now");
        for (int n = 1; n <= Math.max(want, 1); n++) {
            String id = agentId(s.pool(), s.host(), n);
            Path token = s.stateDir().resolve(id + ".token");
            lines.add("agent " + id
                    + (Files.isRegularFile(token) ? " (token cached)" : " (would enrol with the join key)"));
        }
        Map<String, String> v = placeholders(
                s.hubUrl(),
                s.pool(),
                agentId(s.pool(), s.host(), 1),
                "<task id>",
                "<task title>",
                s.stateDir().resolve("tasks").resolve("<task id>.md"));
        lines.add("per task, in " + s.workDir() + ": /bin/sh -c " + shellQuote(expand(s.template(), v)));
        lines.add("environment: HUB_URL=" + s.hubUrl() + " HUB_TOKEN=<the agent's token> HUB_AGENT_ID HUB_POOL"
                + " HUB_TASK_ID HUB_TASK_TITLE HUB_TASK_BODY HUB_HOT_START HUB_RESTART");
        lines.add("logs: " + s.logDir() + "/<agent>.out.log and .err.log (rotated at " + s.logMaxBytes() + " bytes, "
                + s.logKeep() + " kept)");
        return lines;
    }
}
