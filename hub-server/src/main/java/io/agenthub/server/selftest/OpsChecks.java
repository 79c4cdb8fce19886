package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;
import static io.agenthub.server.selftest.OpsTraffic.error;

import io.agenthub.agent.AgentStatus;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.memory.Memory;
import io.agenthub.ops.StatusService;
import io.agenthub.ops.Threshold;
import io.agenthub.server.ops.SnapshotCodec;
import io.agenthub.snapshot.SnapshotRecord;
import io.agenthub.store.Stores;
import io.agenthub.trace.TraceEntry;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Operations: metrics, the status table, traces, snapshots, the live store. */
final class OpsChecks {
    private OpsChecks() {}

    static List<Check> all() {
        return List.of(
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
