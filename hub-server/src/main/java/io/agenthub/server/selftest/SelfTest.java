package io.agenthub.server.selftest;

import io.agenthub.error.HubException;
import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import io.agenthub.store.Stores;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-test ({@code GET /api/tools-test}): real checks of every capability, each on its own scratch hub (the hub's
 * services built on a scratch namespace of the hub's own backend, with their own agents and clock, deleted
 * afterwards), plus live probes of the hub's own store. Runs at start-up and every {@code self-test-interval}; each full
 * run is stored, and when the set of failing checks changes the hub says so in group chat. Only one full run happens
 * at a time: callers that arrive during a run get its result.
 *
 * <p>Scratch hubs use the default configuration (with a daily token budget of 1,000,000 so that the budget rule can be
 * exercised), so that each check's expectations hold whatever the operator configured.
 */
public final class SelfTest {
    /** Runs kept in the store. */
    static final int KEEP = 50;

    private static final Logger LOG = LoggerFactory.getLogger(SelfTest.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CHECK_TIMEOUT_SECONDS = 30;

    private final Stores live;
    private final List<Check> checks;
    private final HubConfig scratchConfig;
    private final String node;
    private final Consumer<String> announce;
    private final Consumer<SelfTestRun> afterRun;
    private final InstantSource clock;
    private final Object lock = new Object();
    private CompletableFuture<SelfTestRun> inFlight;

    /**
     * @param announce posts in the hub's group chat
     * @param afterRun called after each stored run (alert evaluation, gauges)
     */
    public SelfTest(
            Stores live, String node, Consumer<String> announce, Consumer<SelfTestRun> afterRun, InstantSource clock) {
        this.live = live;
        this.node = node;
        this.announce = announce;
        this.afterRun = afterRun;
        this.clock = clock;
        this.scratchConfig = HubConfig.of(Map.of(Setting.ALERT_DAILY_TOKEN_BUDGET.key(), "1000000"));
        List<Check> all = new ArrayList<>();
        all.addAll(AgentChecks.all());
        all.addAll(LeaseChecks.all());
        all.addAll(MessageChecks.all());
        all.addAll(KnowledgeChecks.all());
        all.addAll(LifecycleChecks.all());
        all.addAll(ErrorChecks.all());
        all.addAll(TierChecks.all());
        all.addAll(AlertChecks.all());
        all.addAll(OpsChecks.all());
        Map<String, Check> byName = new LinkedHashMap<>();
        for (Check c : all) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalStateException("two self-test checks are named " + c.name());
            }
        }
        this.checks = List.copyOf(all);
    }

    /** Every check, in run order. */
    public List<Check> checks() {
        return checks;
    }

    /** The latest stored full run (of any hub node). */
    public Optional<SelfTestRun> latest() {
        return live.selfTests().latest();
    }

    /**
     * Runs every check, stores the run, announces a change in failures and calls the after-run hook. If a full run is
     * under way, waits for it and returns its result instead.
     *
     * @param trigger {@code startup}, {@code schedule} or {@code request}
     */
    public SelfTestRun runAll(String trigger) {
        CompletableFuture<SelfTestRun> mine;
        boolean owner = false;
        synchronized (lock) {
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                owner = true;
            }
            mine = inFlight;
        }
        if (!owner) {
            return mine.join();
        }
        try {
            SelfTestRun run = execute(trigger, checks);
            record(run);
            mine.complete(run);
            return run;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (lock) {
                inFlight = null;
            }
        }
    }

    /** Runs one check by name, without storing the result. */
    public SelfTestRun runOne(String name) {
        Check check = checks.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new HubException.NotFound("No self-test check " + name
                        + ". List them with hub selftest --list (GET /api/tools-test?action=list)."));
        return execute("request", List.of(check));
    }

    private SelfTestRun execute(String trigger, List<Check> selected) {
        String id = "st-" + Long.toString(clock.instant().toEpochMilli(), 36) + "-" + random();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        List<CheckResult> results = new ArrayList<>();
        // One namespace per run, one inside it per check: the checks' data is deleted once, when the run ends.
        try (Stores run = live.openScratch(id);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < selected.size(); i++) {
                results.add(runCheck(pool, selected.get(i), run, "c" + i));
            }
        }
        int passed = count(results, CheckResult.Status.PASS);
        int failed = count(results, CheckResult.Status.FAIL);
        int skipped = count(results, CheckResult.Status.SKIP);
        return new SelfTestRun(
                id, trigger, node, started, (System.nanoTime() - t0) / 1_000_000, passed, failed, skipped, results);
    }

    private CheckResult runCheck(ExecutorService pool, Check check, Stores run, String namespace) {
        long t0 = System.nanoTime();
        Future<String> f = pool.submit(() -> {
            if (check.live() != null) {
                return check.live().run(live);
            }
            try (Scratch s = new Scratch(run.openScratch(namespace), scratchConfig, Instant.now())) {
                return check.body().run(s);
            }
        });
        CheckResult.Status status;
        String message;
        try {
            message = f.get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            status = CheckResult.Status.PASS;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Check.Skipped skipped) {
                status = CheckResult.Status.SKIP;
                message = skipped.getMessage();
            } else {
                status = CheckResult.Status.FAIL;
                message = describe(cause);
            }
        } catch (TimeoutException e) {
            f.cancel(true);
            status = CheckResult.Status.FAIL;
            message = "did not finish within " + CHECK_TIMEOUT_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            status = CheckResult.Status.FAIL;
            message = "interrupted";
        }
        return new CheckResult(check.name(), check.capability(), status, (System.nanoTime() - t0) / 1_000_000, message);
    }

    private void record(SelfTestRun run) {
        Optional<SelfTestRun> previous = Optional.empty();
        try {
            previous = live.selfTests().latest();
            live.selfTests().save(run, KEEP);
        } catch (RuntimeException e) {
            LOG.warn("Could not store the self-test run: {}", e.getMessage());
        }
        List<String> before = previous.map(SelfTestRun::failures).orElse(List.of());
        if (!run.failures().equals(before)) {
            String text = run.failures().isEmpty()
                    ? "Self-test: all " + run.passed() + " checks pass again (run " + run.id() + ")."
                    : "Self-test: " + run.passed() + "/" + (run.passed() + run.failed()) + " checks passing. Failed: "
                            + failureLines(run) + " (run " + run.id()
                            + "; details: GET /api/tools-test?action=results)";
            try {
                announce.accept(text);
            } catch (RuntimeException e) {
                LOG.warn("Could not announce the self-test result: {}", e.getMessage());
            }
        }
        if (run.failed() > 0) {
            LOG.warn(
                    "Self-test {}: {} of {} checks failed: {}",
                    run.id(),
                    run.failed(),
                    run.passed() + run.failed(),
                    run.failures());
        } else {
            LOG.info("Self-test {}: all {} checks passed in {} ms", run.id(), run.passed(), run.durationMillis());
        }
        try {
            afterRun.accept(run);
        } catch (RuntimeException e) {
            LOG.warn("After the self-test: {}", e.getMessage());
        }
    }

    private static String failureLines(SelfTestRun run) {
        List<String> parts = new ArrayList<>();
        for (CheckResult r : run.results()) {
            if (r.status() == CheckResult.Status.FAIL) {
                String msg = r.message().length() > 160 ? r.message().substring(0, 159) + "…" : r.message();
                parts.add(r.name() + " (" + msg + ")");
            }
        }
        return String.join("; ", parts);
    }

    private static String describe(Throwable t) {
        if (t instanceof AssertionError) {
            return t.getMessage();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static int count(List<CheckResult> results, CheckResult.Status status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }

    private static String random() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
