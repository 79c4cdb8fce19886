package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;

import com.sun.net.httpserver.HttpServer;
import io.agenthub.agent.AgentStatus;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertRule;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.errorlog.ErrorOverview;
import io.agenthub.errorlog.IssueStatus;
import io.agenthub.memory.Memory;
import io.agenthub.ops.Counters;
import io.agenthub.ops.StatusService;
import io.agenthub.ops.Threshold;
import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.ops.SnapshotCodec;
import io.agenthub.server.ops.WebhookNotifier;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.Work;
import io.agenthub.trace.TraceEntry;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Operations: the errors tool, tiers, alerts and their delivery, metrics, status, traces, snapshots, the live store. */
final class OpsChecks {
    private OpsChecks() {}

    private static ErrorLogService.NewError error(String title, String level) {
        return new ErrorLogService.NewError(
                title, "details", level, "worker.call", "at worker.call(Worker.java:42)", Map.of("task", "t1"), null);
    }

    /** Simulates traffic: {@code requests} API requests of which {@code failures} were reported as errors. */
    /**
     * Counts {@code requests} and reports {@code failures} spread over {@code reporters}: rules weigh each reporter's
     * failures to at most a third of their threshold, so a rate that should trip a rule needs several reporters.
     */
    private static void traffic(Scratch s, List<Principal> reporters, int requests, int failures) {
        s.hub.counters.add(Counters.REQUESTS, requests);
        for (int i = 0; i < failures; i++) {
            s.hub.errors.report(reporters.get(i % reporters.size()), error("Task failed", "error"));
        }
    }

    /** Agents a1 to a{@code n}. */
    private static List<Principal> reporters(Scratch s, int n) {
        List<Principal> out = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(s.agent("a" + i));
        }
        return out;
    }

    private static List<AlertEvent> firing(List<AlertEvent> events, String rule, AlertEvent.Kind kind) {
        return events.stream()
                .filter(e -> e.rule().equals(rule) && e.kind() == kind)
                .toList();
    }

    static List<Check> all() {
        return List.of(
                of("errors-report-group", "errors", "reports with one fingerprint group into one issue", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    ErrorLogStore.Recorded r1 = s.hub.errors.report(a, error("Timeout after 5023 ms", "error"));
                    ErrorLogStore.Recorded r2 = s.hub.errors.report(b, error("Timeout after 5100 ms", "warning"));
                    equal(r2.issue().id(), r1.issue().id(), "the issue of the second report");
                    equal(r2.issue().count(), 2L, "the count");
                    equal(r2.issue().agents(), List.of("a1", "b1"), "affected agents");
                    equal(r2.issue().level(), ErrorLevel.ERROR, "the worst level");
                    return "2 reports, 1 issue " + r1.issue().id() + " affecting a1 and b1";
                }),
                of("errors-resolve-reopen", "errors", "a resolved issue reopens when it recurs", s -> {
                    Principal a = s.agent("a1");
                    String id = s.hub.errors
                            .report(a, error("Disk full", "fatal"))
                            .issue()
                            .id();
                    s.hub.errors.setStatus(s.admin, id, IssueStatus.RESOLVED);
                    ErrorLogStore.Recorded again = s.hub.errors.report(a, error("Disk full", "fatal"));
                    require(again.reopened(), "a reopen");
                    equal(again.issue().status(), IssueStatus.UNRESOLVED, "the status");
                    return "resolved, recurred, reopened";
                }),
                of("errors-history-bounded", "errors", "an issue keeps only its newest occurrences", s -> {
                    Principal a = s.agent("a1");
                    String id = null;
                    for (int i = 0; i < 105; i++) {
                        id = s.hub.errors
                                .report(a, error("Loop", "info"))
                                .issue()
                                .id();
                    }
                    equal(s.hub.errors.issue(id).count(), 105L, "the count");
                    equal(s.hub.errors.events(id, 100).size(), 100, "kept occurrences");
                    return "105 reports counted, the newest 100 kept";
                }),
                of("errors-overview", "errors", "the overview counts issues, levels and the error rate", s -> {
                    Principal a = s.agent("a1");
                    s.hub.counters.add(Counters.REQUESTS, 50);
                    s.hub.errors.report(a, error("Crash", "error"));
                    s.hub.errors.report(a, error("Slow", "warning"));
                    ErrorOverview o = s.hub.errors.overview();
                    equal(o.unresolvedCount(), 2L, "unresolved issues");
                    equal(o.last24hByLevel().get(ErrorLevel.ERROR), 1L, "errors in 24 h");
                    equal(o.last24hByLevel().get(ErrorLevel.WARNING), 1L, "warnings in 24 h");
                    equal(o.errorRate().reportedFailures(), 1L, "reported failures in the window");
                    equal(o.errorRate().rate(), 1.0 / 50, "the error rate");
                    return "2 unresolved, rate " + o.errorRate().rate();
                }),
                of("tier-set-announce", "tiers", "an admin's tier change is recorded, audited and announced", s -> {
                    TierChange t = s.hub.tiers.set(s.admin, 2, "incident 7", null, Map.of());
                    equal(s.hub.tiers.current().tier(), Tier.REDUCED, "the tier in force");
                    equal(t.actor(), s.admin.id(), "who set it");
                    require(
                            AgentChecks.notices(s).stream()
                                    .anyMatch(m -> m.text().startsWith("Tier 2 (reduced)")),
                            "an announcement");
                    require(
                            AgentChecks.audit(s).stream()
                                    .anyMatch(e -> e.action().equals("tier.set")),
                            "audit");
                    equal(s.hub.tiers.history(10).size(), 1, "history entries");
                    return "tier 2 recorded, audited and announced";
                }),
                of("tier-reduced-core-only", "tiers", "in tier 2 only core agents take new work", s -> {
                    Principal core = s.agent("core-1", Map.of("core", "true"));
                    Principal other = s.agent("other-1");
                    s.hub.tiers.set(s.admin, 2, "load", null, Map.of());
                    s.hub.tiers.admit(core, Work.NEW_WORK);
                    s.hub.tiers.admit(other, Work.WRITE);
                    HubException.Unavailable u = refused(
                            HubException.Unavailable.class,
                            () -> s.hub.tiers.admit(other, Work.NEW_WORK),
                            "new work by a non-core agent");
                    equal(u.code(), "tier_restricted", "the problem code");
                    require(u.retryAfter().toSeconds() > 0, "a Retry-After");
                    return "core-1 admitted, other-1 refused with Retry-After "
                            + u.retryAfter().toSeconds() + " s";
                }),
                of("tier-minimal-designated", "tiers", "in tier 3 only the designated agent takes new work", s -> {
                    Principal solo = s.agent("solo");
                    Principal other = s.agent("other-1");
                    s.hub.tiers.set(s.admin, 3, "single-agent mode", "solo", Map.of());
                    s.hub.tiers.admit(solo, Work.NEW_WORK);
                    refused(
                            HubException.Unavailable.class,
                            () -> s.hub.tiers.admit(other, Work.NEW_WORK),
                            "new work by another agent");
                    return "solo admitted, other-1 refused";
                }),
                of("tier-maintenance-read-only", "tiers", "in tier 4 reads and upkeep pass, writes do not", s -> {
                    Principal a = s.agent("a1");
                    s.hub.tiers.set(s.admin, 4, "data inconsistency", null, Map.of());
                    s.hub.tiers.admit(a, Work.READ);
                    s.hub.tiers.admit(a, Work.UPKEEP);
                    s.hub.tiers.admit(s.admin, Work.WRITE);
                    refused(HubException.Unavailable.class, () -> s.hub.tiers.admit(a, Work.WRITE), "a write");
                    refused(HubException.Unavailable.class, () -> s.hub.tiers.admit(a, Work.NEW_WORK), "new work");
                    return "read and upkeep admitted; write and new work refused; admin admitted";
                }),
                of("tier-automatic", "tiers", "an error storm degrades the hub to tier 2 and back", s -> {
                    List<Principal> a = reporters(s, 5);
                    traffic(s, a, 10, 5);
                    s.ops.evaluate();
                    s.advance(Duration.ofMinutes(3));
                    traffic(s, a, 10, 5);
                    s.ops.evaluate();
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier while the storm is pending");
                    s.advance(Duration.ofMinutes(2).plusSeconds(1));
                    traffic(s, a, 10, 5);
                    s.ops.evaluate();
                    TierChange raised = s.hub.tiers.current();
                    equal(raised.tier(), Tier.REDUCED, "the tier after 5 min of storm");
                    equal(raised.actor(), "rule:ErrorStorm", "who raised it");
                    s.advance(Duration.ofMinutes(10));
                    s.ops.evaluate();
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier after the storm");
                    return "tier 2 after 5 min at 50% errors; back to tier 1 when it passed";
                }),
                of("alert-all-agents-down", "alerts", "AllAgentsDown fires once, then resolves", s -> {
                    Principal a = s.agent("a1");
                    s.hub.agents.heartbeat(a, AgentStatus.ACTIVE, null, null);
                    require(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.FIRING)
                                    .isEmpty(),
                            "quiet");
                    s.advance(Duration.ofMinutes(16));
                    s.hub.reaper.run();
                    equal(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    equal(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.FIRING)
                                    .size(),
                            0,
                            "repeats");
                    require(
                            AgentChecks.notices(s).stream()
                                    .anyMatch(m -> m.text().startsWith("[FIRING critical] AllAgentsDown")),
                            "a chat post");
                    s.hub.agents.heartbeat(a, null, null, null);
                    equal(
                            firing(s.ops.evaluate(), "AllAgentsDown", AlertEvent.Kind.RESOLVED)
                                    .size(),
                            1,
                            "resolutions");
                    return "fired once when a1 went offline, resolved when it came back";
                }),
                of("alert-error-rate-hold", "alerts", "HighErrorRate fires only after holding for 5 minutes", s -> {
                    List<Principal> a = reporters(s, 10);
                    traffic(s, a, 100, 10);
                    require(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .isEmpty(),
                            "pending");
                    s.advance(Duration.ofMinutes(4));
                    traffic(s, a, 100, 10);
                    require(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .isEmpty(),
                            "pending");
                    s.advance(Duration.ofMinutes(1));
                    traffic(s, a, 100, 10);
                    equal(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    equal(
                            firing(s.ops.evaluate(), "HighErrorRate", AlertEvent.Kind.FIRING)
                                    .size(),
                            0,
                            "repeats");
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier at 10% errors");
                    return "pending at 10% errors, fired after 5 min, sent once";
                }),
                of("alert-token-budget", "alerts", "TokenBudgetExceeded fires over the daily budget", s -> {
                    s.hub.signals.useTokensToday(() -> OptionalLong.of(1_200_000));
                    List<AlertEvent> events = s.ops.evaluate();
                    equal(
                            firing(events, "TokenBudgetExceeded", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    return "fired at 1,200,000 tokens over a 1,000,000 budget";
                }),
                of("alert-agents-stalled", "alerts", "AgentsStalled fires when an agent stays stalled", s -> {
                    Principal a = s.agent("a1");
                    s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                    for (int minute = 1; minute <= 11; minute++) {
                        s.advance(Duration.ofMinutes(1));
                        s.hub.agents.heartbeat(a, AgentStatus.BUSY, "deploy", null);
                        s.hub.stalls.run();
                        List<AlertEvent> events = s.ops.evaluate();
                        if (!firing(events, "AgentsStalled", AlertEvent.Kind.FIRING)
                                .isEmpty()) {
                            require(minute >= 10, "the alert to wait for 5 min of stall, fired at minute " + minute);
                            return "a1 stalled after 5 min without progress; the alert fired 5 min later";
                        }
                    }
                    throw new AssertionError("expected AgentsStalled to fire within 11 minutes");
                }),
                of("alert-self-test-failing", "alerts", "a failing self-test raises SelfTestFailing", s -> {
                    List<CheckResult> results = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        results.add(new CheckResult(
                                "c" + i, "x", i == 0 ? CheckResult.Status.FAIL : CheckResult.Status.PASS, 1, ""));
                    }
                    s.stores()
                            .selfTests()
                            .save(new SelfTestRun("r1", "schedule", "n", s.clock.instant(), 1, 9, 1, 0, results), 5);
                    List<AlertEvent> events = s.ops.evaluate();
                    equal(
                            firing(events, "SelfTestFailing", AlertEvent.Kind.FIRING)
                                    .size(),
                            1,
                            "firings");
                    equal(
                            firing(events, "SelfTestCritical", AlertEvent.Kind.FIRING)
                                    .size(),
                            0,
                            "critical firings");
                    return "fired at 9/10 passing";
                }),
                of(
                        "alert-webhook-delivery",
                        "alerts",
                        "webhooks get JSON and Slack bodies, retried after failure",
                        s -> {
                            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                            AtomicInteger calls = new AtomicInteger();
                            HttpServer server =
                                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                            server.createContext("/", ex -> {
                                byte[] body = ex.getRequestBody().readAllBytes();
                                int status = calls.incrementAndGet() == 1 ? 500 : 204;
                                if (status == 204) {
                                    received.add(ex.getRequestURI().getPath() + " "
                                            + new String(body, StandardCharsets.UTF_8));
                                }
                                ex.sendResponseHeaders(status, -1);
                                ex.close();
                            });
                            server.start();
                            String base =
                                    "http://127.0.0.1:" + server.getAddress().getPort();
                            WebhookNotifier hooks = new WebhookNotifier(
                                    List.of(base + "/generic", "slack:" + base + "/slack"),
                                    3,
                                    Duration.ofMillis(20),
                                    "scratch");
                            try {
                                AlertRule rule = s.hub.alerts.rules().getFirst();
                                Instant now = s.clock.instant();
                                hooks.deliver(
                                        new AlertEvent(
                                                7,
                                                rule.name(),
                                                rule.severity(),
                                                AlertEvent.Kind.FIRING,
                                                now,
                                                0.0,
                                                "down",
                                                now),
                                        rule);
                                List<String> got = new ArrayList<>();
                                for (int i = 0; i < 2; i++) {
                                    String r = received.poll(5, TimeUnit.SECONDS);
                                    require(r != null, "both deliveries within 5 s");
                                    got.add(r);
                                }
                                String generic = got.stream()
                                        .filter(g -> g.startsWith("/generic"))
                                        .findFirst()
                                        .orElseThrow();
                                String slack = got.stream()
                                        .filter(g -> g.startsWith("/slack"))
                                        .findFirst()
                                        .orElseThrow();
                                require(
                                        generic.contains("\"alert\":\"" + rule.name() + "\"")
                                                && generic.contains("\"status\":\"firing\""),
                                        "the generic body");
                                require(slack.contains("\"text\":"), "the Slack body");
                                long retries = hooks.stats().stream()
                                        .mapToLong(WebhookNotifier.Stats::retries)
                                        .sum();
                                equal(retries, 1L, "retries after the first 500");
                                return "generic and Slack bodies delivered; one retry after an HTTP 500";
                            } finally {
                                hooks.close();
                                server.stop(0);
                            }
                        }),
                of("metrics-scrape", "metrics", "the Prometheus scrape shows lease outcomes, tier and alerts", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.hub.leases.acquire(a, "m", 60L, "");
                    refused(HubException.Conflict.class, () -> s.hub.leases.acquire(b, "m", 60L, ""), "b1's acquire");
                    s.ops.refreshGauges();
                    String text = s.hub.metrics.scrape();
                    for (String expected : List.of(
                            "hub_lease_acquisitions_total{outcome=\"granted\"} 1.0",
                            "hub_lease_acquisitions_total{outcome=\"refused\"} 1.0",
                            "hub_coordination_conflict_ratio 0.5",
                            "hub_tier 1.0",
                            "hub_alert_firing{alert=\"AllAgentsDown\"")) {
                        require(text.contains(expected), "'" + expected + "' in the scrape");
                    }
                    return "scrape of " + text.length() + " bytes with lease outcomes, conflict ratio, tier, alerts";
                }),
                of("status-table", "status", "the status table classifies the guide's metrics", s -> {
                    Principal a = s.agent("a1");
                    s.hub.agents.heartbeat(a, AgentStatus.ACTIVE, null, null);
                    StatusService.Status st = s.hub.status.status();
                    equal(st.metrics().size(), 5, "metrics");
                    StatusService.Metric agents = st.metrics().getFirst();
                    equal(agents.value(), 1.0, "active agents");
                    equal(agents.level(), Threshold.Level.WARNING, "one active agent");
                    equal(st.metrics().get(2).level(), Threshold.Level.GOOD, "no errors");
                    return "agent count 1 is warning, error rate 0 is good; overall " + st.overall();
                }),
                of("trace-trail", "trace", "an agent's trail lists its leases, messages and errors in order", s -> {
                    Principal a = s.agent("a1");
                    s.agent("b1");
                    Instant since = s.clock.instant();
                    s.hub.leases.acquire(a, "src/t.java", 60L, "");
                    s.advance(Duration.ofMillis(5));
                    s.hub.messages.dm(a, "b1", "hello");
                    s.advance(Duration.ofMillis(5));
                    s.hub.errors.report(a, error("Oops", "error"));
                    List<TraceEntry> trail = s.hub.traces.trail(s.admin, "a1", since, null);
                    equal(trail.stream().map(TraceEntry::kind).toList(), List.of("lease", "message", "error"), "kinds");
                    equal(trail.getFirst().subject(), "src/t.java", "the lease's resource");
                    return "lease, message and error in time order";
                }),
                of("snapshot-round-trip", "export", "an exported snapshot restores into an empty store", s -> {
                    Principal a = s.agent("a1");
                    s.hub.leases.acquire(a, "src/x", 600L, "");
                    s.hub.messages.post(a, "general", "hello", null);
                    s.hub.memories.remember(a, Memory.Category.LEARNING, "snapshots work", List.of("ops"));
                    s.hub.checkpoints.save(
                            a, new io.agenthub.checkpoint.CheckpointData("t", "p", null, null, null, null, null, 0));
                    s.hub.errors.report(a, error("Boom", "error"));
                    s.hub.traces.flush();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    SnapshotCodec.Writer w = new SnapshotCodec.Writer(out, "self-test", "scratch", s.clock.instant());
                    try {
                        s.stores().snapshots().export(w::write);
                    } catch (HubException.Unavailable e) {
                        if ("not_supported".equals(e.code())) {
                            throw new Check.Skipped(s.stores().backend() + ": " + e.getMessage());
                        }
                        throw e;
                    }
                    w.finish();
                    List<SnapshotRecord> original = new ArrayList<>();
                    s.stores().snapshots().export(original::add);
                    try (Stores copy = s.stores().openScratch("copy")) {
                        copy.snapshots()
                                .restore(SnapshotCodec.read(new BufferedReader(new InputStreamReader(
                                        new ByteArrayInputStream(out.toByteArray()), StandardCharsets.UTF_8))));
                        List<SnapshotRecord> restored = new ArrayList<>();
                        copy.snapshots().export(restored::add);
                        equal(restored, original, "the restored records");
                    }
                    return original.size() + " records exported to JSON lines and restored identically";
                }),
                Check.live("store-ping", "store", "the hub's own store answers", live -> {
                    long t0 = System.nanoTime();
                    live.ping();
                    return live.backend() + " answered in " + (System.nanoTime() - t0) / 1_000 + " µs";
                }),
                Check.live("store-write-read", "store", "the hub's own store takes a write and reads it back", live -> {
                    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                    long before = live.counters()
                            .sum(minute, minute.plus(Duration.ofMinutes(1)))
                            .getOrDefault("self_test_probes", 0L);
                    live.counters().add(minute, Map.of("self_test_probes", 1L));
                    long after = live.counters()
                            .sum(minute, minute.plus(Duration.ofMinutes(1)))
                            .getOrDefault("self_test_probes", 0L);
                    require(after >= before + 1, "the probe counter to grow");
                    return "probe counter " + before + " -> " + after;
                }));
    }
}
