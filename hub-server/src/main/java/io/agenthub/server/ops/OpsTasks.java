package io.agenthub.server.ops;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.Presence;
import io.agenthub.alert.AlertEngine;
import io.agenthub.alert.AlertEvent;
import io.agenthub.alert.AlertState;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.ops.Counters;
import io.agenthub.ops.StatusService;
import io.agenthub.pool.PoolService;
import io.agenthub.pool.PoolView;
import io.agenthub.pool.ScalingRules;
import io.agenthub.selftest.CheckResult;
import io.agenthub.selftest.SelfTestRun;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.Setting;
import io.agenthub.store.Stores;
import io.agenthub.task.TaskService;
import io.agenthub.tier.TierService;
import io.agenthub.trace.TraceService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic operations work of one hub node: flushing counters and trails and watching the store (every few
 * seconds), evaluating alert and tier rules (every {@code alert-interval}), refreshing the metric gauges, and pruning
 * old operational data.
 */
public final class OpsTasks {
    private static final Logger LOG = LoggerFactory.getLogger(OpsTasks.class);
    private final Sources s;

    /** What the periodic work reads and writes. */
    public record Sources(
            Stores stores,
            HubMetrics metrics,
            Counters counters,
            TraceService traces,
            TierService tiers,
            AlertEngine alerts,
            AgentService agents,
            FleetSignals signals,
            PoolService pools,
            ErrorLogService errors,
            io.agenthub.audit.SecurityEvents security,
            TaskService tasks) {}

    private final Duration window;
    private final Duration traceRetention;
    private final long traceMaxEntries;
    private final Duration securityRetention;
    private final Duration taskRetention;
    private final Duration counterRetention;
    private final Duration errorRetention;
    private final Duration alertRetention;
    private final HubMetrics.Value budgetGauge;

    public OpsTasks(Sources sources, HubConfig config) {
        this.s = sources;
        this.window = config.duration(Setting.ERROR_RATE_WINDOW);
        this.traceRetention = config.duration(Setting.TRACE_RETENTION);
        this.traceMaxEntries = config.integer(Setting.TRACE_MAX_ENTRIES);
        this.securityRetention = config.duration(Setting.SECURITY_EVENT_RETENTION);
        this.taskRetention = config.duration(Setting.TASK_RETENTION);
        this.counterRetention = config.duration(Setting.COUNTER_RETENTION);
        this.errorRetention = config.duration(Setting.ERROR_RETENTION);
        this.alertRetention = config.duration(Setting.ALERT_HISTORY_RETENTION);
        this.budgetGauge = s.metrics().gauge("hub.token.budget.daily", "Daily token budget (NaN when none is set)");
        String budget = config.string(Setting.ALERT_DAILY_TOKEN_BUDGET).strip();
        budgetGauge.set(budget.isEmpty() ? Double.NaN : Double.parseDouble(budget));
    }

    /**
     * Writes buffered counters and trail entries, and checks that the store answers: if it does not, this node goes to
     * maintenance until it does (see {@link io.agenthub.tier.TierService#storeDown}).
     */
    public void flush() {
        try {
            s.stores().ping();
        } catch (HubException.Unavailable e) {
            s.tiers().storeDown(e.getMessage());
            return;
        }
        s.tiers().storeUp();
        s.counters().flush();
        s.traces().flush();
        s.security().flush();
    }

    /** One pass of the alert rules, then the tier rules, then the gauges. Returns the alert events recorded. */
    public List<AlertEvent> evaluate() {
        List<AlertEvent> events = s.alerts().evaluate();
        s.tiers().reconcile(s.alerts().demandedTiers());
        refreshGauges();
        return events;
    }

    /** Brings every gauge up to date from the services (also called before each scrape). */
    public void refreshGauges() {
        HubMetrics m = s.metrics();
        List<Agent> all = s.agents().list();
        for (Presence p : Presence.values()) {
            m.gauge(
                            "hub.agents",
                            "Agents by presence",
                            Map.of("presence", p.name().toLowerCase()))
                    .set(all.stream()
                            .filter(a -> a.role() == Role.AGENT && a.presence() == p)
                            .count());
        }
        m.gauge("hub.agents.active", "Agents online now").set(StatusService.activeAgents(all));
        m.gauge("hub.agents.registered", "Registered agents (role agent)")
                .set(all.stream().filter(a -> a.role() == Role.AGENT).count());
        m.gauge("hub.agents.disabled", "Agents disabled by an admin (role agent)")
                .set(StatusService.disabledAgents(all));
        m.gauge("hub.agents.stalled", "Agents present but making no progress")
                .set(s.signals().stalledAgents().size());
        Counters.Window w = s.counters().window(window);
        m.gauge("hub.error.rate", "Error rate over the rolling window (fleet-wide)")
                .set(w.errorRate());
        m.gauge("hub.coordination.conflict.ratio", "Refused lease acquisitions over all, rolling window")
                .set(w.conflictRate());
        m.gauge("hub.avg.response.seconds", "Average API response time over the rolling window")
                .set(w.averageMillis() / 1000.0);
        m.gauge("hub.tier", "Degradation tier in force (1 full to 4 maintenance)")
                .set(s.tiers().current().tier().number());
        for (AlertEngine.RuleStatus r : s.alerts().status()) {
            m.gauge(
                            "hub.alert.firing",
                            "1 while the alert fires",
                            Map.of(
                                    "alert",
                                    r.rule().name(),
                                    "severity",
                                    r.rule().severity().name().toLowerCase()))
                    .set(r.state().status() == AlertState.Status.FIRING ? 1 : 0);
        }
        Optional<SelfTestRun> run = s.stores().selfTests().latest();
        m.gauge("hub.selftest.pass.ratio", "Passed over run checks of the latest self-test")
                .set(run.map(SelfTestRun::passRate).orElse(Double.NaN));
        for (CheckResult.Status st : CheckResult.Status.values()) {
            m.gauge(
                            "hub.selftest.checks",
                            "Checks of the latest self-test by status",
                            Map.of("status", st.name().toLowerCase()))
                    .set(run.map(r -> r.results().stream()
                                    .filter(c -> c.status() == st)
                                    .count())
                            .orElse(0L));
        }
        m.gauge("hub.selftest.last.run.timestamp.seconds", "When the latest self-test started (epoch seconds)")
                .set(run.map(r -> (double) r.startedAt().getEpochSecond()).orElse(Double.NaN));
        refreshPools(m);
        OptionalLong tokens = s.signals().tokensToday();
        m.gauge("hub.tokens.today", "Tokens used by the fleet today (NaN when unknown)")
                .set(tokens.isPresent() ? tokens.getAsLong() : Double.NaN);
    }

    /** Queue, utilisation and the scaling recommendation of every pool (see {@link io.agenthub.pool.PoolService}). */
    private void refreshPools(HubMetrics m) {
        List<PoolView> pools = s.pools().overview();
        List<ScalingRules.Advice> advice = s.pools().scaling(pools);
        for (int i = 0; i < pools.size(); i++) {
            PoolView p = pools.get(i);
            Map<String, String> tag = Map.of("pool", p.pool());
            m.gauge("hub.task.queue.depth", "Queued and retry-waiting tasks of a pool", tag)
                    .set(p.queueDepth());
            m.gauge("hub.task.oldest.age.seconds", "Age of the oldest queued task of a pool (0 when none)", tag)
                    .set(p.oldestAgeSeconds());
            m.gauge("hub.pool.agents.online", "Online agents of a pool", tag).set(p.online());
            m.gauge("hub.pool.agents.busy", "Online agents of a pool holding an active task claim", tag)
                    .set(p.busy());
            m.gauge("hub.pool.utilization", "Busy over online agents of a pool (0 with nobody online)", tag)
                    .set(p.utilisation());
            m.gauge("hub.pool.claims.per.minute", "Task claims per minute over the scaling window (fleet-wide)", tag)
                    .set(p.claimsPerMinute());
            m.gauge("hub.scaling.recommendation", "Agents GET /api/scaling recommends adding (negative: removing)", tag)
                    .set(advice.get(i).delta());
        }
    }

    /**
     * Prunes operational data: counters ({@code counter-retention}), error hours ({@code error-retention}), alert
     * history ({@code alert-history-retention}) and security events ({@code security-event-retention}).
     */
    public void housekeeping() {
        int n = s.counters().purge(counterRetention)
                + s.errors().purge(errorRetention)
                + s.alerts().purge(alertRetention)
                + s.security().purge(securityRetention);
        if (n > 0) {
            LOG.debug("Pruned {} operational rows", n);
        }
    }

    /**
     * Prunes the trails to {@code trace-retention} and {@code trace-max-entries}. Run every {@code reaper-interval}:
     * the trail is the fastest growing table (about one entry per request), so what it can grow between two runs is
     * what the interval allows, not what an hour allows.
     */
    public int pruneTraces() {
        return s.traces().purge(traceRetention, traceMaxEntries);
    }

    /**
     * The retention of the fast-growing histories, run every {@code reaper-interval}: the trails ({@link
     * #pruneTraces}) and finished tasks with their history ({@code task-retention}). Each is deleted in bounded steps
     * found through an index by age, so a pass with nothing due costs one index probe per history, and a pass never
     * takes more than a bounded number of steps (a backlog is worked off over several passes).
     */
    public int retention() {
        return pruneTraces() + s.tasks().purgeEnded(taskRetention);
    }
}
