package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.deadline.RequestDeadline;
import io.agenthub.error.HubException;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.selftest.SelfTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code GET /api/tools-test}: runs the self-test (every check, or {@code ?tool=NAME}), lists the checks
 * ({@code ?action=list}) or returns the latest stored run ({@code ?action=results}).
 *
 * <p>A whole run takes seconds of scratch hubs, so it is bounded: one at a time per node (a request that arrives during
 * a run waits for it and answers with its result), and a caller other than an admin gets the run this node made less
 * than {@link #FRESH} ago instead of a new one. Admins always get a new run (or the one in progress).
 */
public final class SelfTestRoutes {
    /** How long a run made here serves the whole-run requests of agents and viewers. */
    static final Duration FRESH = Duration.ofMinutes(5);

    private final SelfTest selfTest;
    private final ReentrantLock running = new ReentrantLock();
    /** {@link System#nanoTime()} when this node's last whole run ended; bounds the rate of runs, not domain time. */
    private volatile long lastRunEnded;

    private volatile SelfTestRun lastRun;

    public SelfTestRoutes(SelfTest selfTest) {
        this.selfTest = selfTest;
    }

    public void register(Router r) {
        r.get("/api/tools-test", Access.READ, call -> {
            String action = call.query("action");
            if ("list".equals(action)) {
                return Reply.ok(Map.of(
                        "checks",
                        selfTest.checks().stream()
                                .map(c -> Map.of(
                                        "name", c.name(),
                                        "capability", c.capability(),
                                        "description", c.description(),
                                        "scope", c.live() != null ? "live" : "scratch"))
                                .toList()));
            }
            if ("results".equals(action)) {
                return Reply.ok(render(selfTest.latest()
                        .orElseThrow(() -> new HubException.NotFound(
                                "The self-test has not run yet; run it with GET /api/tools-test."))));
            }
            if (action != null) {
                throw new HubException.InvalidRequest("action must be list or results (or omitted to run the checks).");
            }
            String tool = call.query("tool");
            return Reply.ok(render(tool == null ? wholeRun(call.principal()) : selfTest.runOne(tool)));
        });
    }

    /** A whole run for {@code caller}: shared with one in progress, and for non-admins a recent one. */
    private SelfTestRun wholeRun(Principal caller) {
        SelfTestRun before = lastRun;
        if (!caller.isAdmin() && recent(before)) {
            return before;
        }
        running.lock();
        try {
            SelfTestRun now = lastRun;
            if (now != null && !Objects.equals(now, before)) {
                return now; // a run ended while this request waited for it
            }
            if (!caller.isAdmin() && recent(now)) {
                return now;
            }
            // One run serves every request waiting on it: it is not bound by this request's store budget.
            SelfTestRun run = RequestDeadline.outside(() -> selfTest.runAll("request"));
            lastRun = run;
            lastRunEnded = System.nanoTime();
            return run;
        } finally {
            running.unlock();
        }
    }

    private boolean recent(SelfTestRun run) {
        return run != null && System.nanoTime() - lastRunEnded < FRESH.toNanos();
    }

    private static Map<String, Object> render(SelfTestRun run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", run.passed() + "/" + (run.passed() + run.failed()) + " tests passing");
        out.put("id", run.id());
        out.put("trigger", run.trigger());
        out.put("node", run.node());
        out.put("timestamp", run.startedAt());
        out.put("duration", run.durationMillis());
        out.put("passed", run.passed());
        out.put("failed", run.failed());
        out.put("skipped", run.skipped());
        out.put("passRate", run.passRate());
        out.put("results", run.results());
        return out;
    }
}
