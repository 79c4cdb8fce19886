package io.agenthub.server.services;

import io.agenthub.agent.AgentService;
import io.agenthub.agent.LabelPolicy;
import io.agenthub.agent.PresencePolicy;
import io.agenthub.agent.PresenceReaper;
import io.agenthub.agent.Progress;
import io.agenthub.agent.ProgressTracker;
import io.agenthub.agent.StallDetector;
import io.agenthub.agent.Succession;
import io.agenthub.alert.AlertEngine;
import io.agenthub.alert.AlertNotifier;
import io.agenthub.alert.AlertState;
import io.agenthub.alert.ChatNotifier;
import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditLog;
import io.agenthub.audit.SecurityEvent;
import io.agenthub.auth.AuthService;
import io.agenthub.checkpoint.CheckpointPolicy;
import io.agenthub.checkpoint.CheckpointService;
import io.agenthub.digest.DigestService;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.handoff.HandoffService;
import io.agenthub.hotstart.HotStartService;
import io.agenthub.lease.LeaseEvents;
import io.agenthub.lease.LeasePolicy;
import io.agenthub.lease.LeaseService;
import io.agenthub.lifecycle.Activity;
import io.agenthub.memory.MemoryPolicy;
import io.agenthub.memory.MemoryQuota;
import io.agenthub.memory.MemoryService;
import io.agenthub.message.MessagePolicy;
import io.agenthub.message.MessageService;
import io.agenthub.ops.Counters;
import io.agenthub.ops.StatusService;
import io.agenthub.ops.Threshold;
import io.agenthub.pool.PoolService;
import io.agenthub.pool.PoolTally;
import io.agenthub.pool.ScalingPolicy;
import io.agenthub.pool.ScalingRules;
import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimiter;
import io.agenthub.rollout.RolloutPolicy;
import io.agenthub.rollout.RolloutService;
import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.LifecycleSettings;
import io.agenthub.server.config.Setting;
import io.agenthub.server.ops.AlertRules;
import io.agenthub.server.ops.EmergencyService;
import io.agenthub.server.ops.FleetSignals;
import io.agenthub.server.ops.HubMetrics;
import io.agenthub.server.ops.LeaseObservations;
import io.agenthub.server.ops.MessageObservations;
import io.agenthub.server.ops.OpsTasks;
import io.agenthub.server.ops.UsageObservations;
import io.agenthub.store.Stores;
import io.agenthub.task.TaskListener;
import io.agenthub.task.TaskPolicy;
import io.agenthub.task.TaskService;
import io.agenthub.task.TaskStore;
import io.agenthub.text.AgentText;
import io.agenthub.tier.TierPolicy;
import io.agenthub.tier.TierService;
import io.agenthub.trace.TraceService;
import io.agenthub.usage.BudgetService;
import io.agenthub.usage.LlmThrottling;
import io.agenthub.usage.UsageService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Every service of the hub, built on one set of stores with the configured policies. The hub builds one on its own
 * stores; the self-test builds one per check on a scratch namespace, so that its checks run the same code.
 *
 * <p>Hub notices (presence changes, stalls, transfers and handoffs, budgets, alert rules, tier changes, self-test
 * results, emergency actions) are posted to the {@code ops-channel}, so that group chat stays the agents' own; what
 * concerns one agent (a handoff offered to it, a wake, a budget halt) also reaches its inbox.
 */
public final class Services {
    public final Stores stores;
    public final InstantSource clock;
    public final HubMetrics metrics;
    public final Counters counters;
    public final TraceService traces;
    public final AuditLog audit;
    /** Refused calls and other security events, counted per minute for the metrics and the safety report. */
    public final io.agenthub.audit.SecurityEvents security;

    public final AuthService auth;
    public final AgentService agents;
    public final LeaseService leases;
    public final MessageService messages;
    public final MemoryService memories;
    public final CheckpointService checkpoints;
    public final HotStartService hotStart;
    public final DigestService digest;
    public final PresenceReaper reaper;
    public final ProgressTracker progress;
    public final StallDetector stalls;
    public final HandoffService handoffs;
    public final BudgetService budgets;
    public final UsageService usage;
    public final ErrorLogService errors;
    public final TierService tiers;
    public final FleetSignals signals;
    public final AlertEngine alerts;
    public final StatusService status;
    public final RateLimiter limiter;
    public final TaskService tasks;
    public final PoolService pools;
    public final RolloutService rollouts;
    public final io.agenthub.flag.FlagService flags;

    private final String opsChannel;

    /**
     * Builds the graph in dependency order: the records every service writes to (counters, trails, audit, security
     * events), then the domain services, then the lifecycle around them (progress, budgets, stalls, presence), then the
     * operations view (signals, pools, alerts, status). Every callback captures a service already built, never this
     * object; the one cycle (activity reported by the domain services, received by progress and budgets) goes through
     * {@link ActivityRelay}, bound once at the end, and the side effects of lease, message and usage operations through
     * observers the services call after their store's atomic step ({@link LeaseObservations},
     * {@link MessageObservations}, {@link UsageObservations}).
     *
     * @param notifiers where alerts go besides group chat (webhooks)
     */
    public Services(
            Stores stores,
            HubConfig config,
            InstantSource clock,
            String adminToken,
            HubMetrics metrics,
            List<AlertNotifier> notifiers) {
        LifecycleSettings life = LifecycleSettings.from(config);
        this.stores = stores;
        this.clock = clock;
        this.metrics = metrics;
        String opsChannel = life.opsChannel();
        this.opsChannel = opsChannel;

        // 1. The records every service writes to.
        Counters counters = new Counters(stores.counters(), clock);
        TraceService traces = new TraceService(stores.traces(), clock);
        AuditLog audit = new AuditLog(stores.audit(), clock);
        io.agenthub.audit.SecurityEvents security = new io.agenthub.audit.SecurityEvents(stores.audit(), clock)
                .observe((kind, n) -> metrics.securityEvent(kind.key(), n));
        audit.observe(event -> privilegedLabels(security, event));
        AgentText cleaner = new AgentText(textObserver(metrics, security));
        this.counters = counters;
        this.traces = traces;
        this.audit = audit;
        this.security = security;

        // 2. Identity and admission of calls.
        AuthService auth = new AuthService(
                stores.credentials(),
                clock,
                adminToken,
                Duration.ofSeconds(5),
                config.duration(Setting.AGENT_TOKEN_TTL),
                config.duration(Setting.AGENT_TOKEN_OVERLAP));
        this.auth = auth;
        this.limiter = new RateLimiter(stores.rateLimits(), rates(config), clock).onRefused((kind, who) -> {
            metrics.rateLimited(kind.key());
            security.rateLimited(who, kind.key());
        });

        // 3. The domain services. They report agents' activity to the relay, bound to progress and budgets in step 5.
        ActivityRelay activity = new ActivityRelay();
        AgentService agents = new AgentService(stores.agents(), auth, audit, clock, activity, labelPolicy(config));
        LeaseService leases = new LeaseService(
                stores.leases(),
                leasePolicy(config),
                audit,
                clock,
                activity,
                config.resourceNaming(),
                LeaseEvents.all(List.of(new LeaseObservations(counters, metrics, traces))));
        MessageService messages = new MessageService(
                stores.messages(),
                stores.messageSignal(),
                messagePolicy(config),
                id -> stores.agents().find(id).isPresent(),
                clock,
                activity,
                cleaner,
                new MessageObservations(metrics, traces));
        messages.channelQuota((int) Math.min(Integer.MAX_VALUE, config.wholeNumber(Setting.CHANNEL_QUOTA)));
        Consumer<String> alert = text -> messages.announce(opsChannel, text);
        MemoryService memories = new MemoryService(
                stores.memories(),
                MemoryPolicy.defaults()
                        .withConsolidation(
                                config.duration(Setting.MEMORY_DECAY_AFTER),
                                config.integer(Setting.MEMORY_CONSOLIDATE_BATCH)),
                clock,
                new MemoryQuota(
                        (int) Math.min(Integer.MAX_VALUE, config.wholeNumber(Setting.MEMORY_QUOTA_ENTRIES)),
                        config.wholeNumber(Setting.MEMORY_QUOTA_BYTES)),
                cleaner);
        CheckpointService checkpoints = new CheckpointService(
                stores.checkpoints(),
                CheckpointPolicy.defaults()
                        .withKeep(config.integer(Setting.CHECKPOINT_KEEP))
                        .withMaxTotalBytes(config.integer(Setting.CHECKPOINT_MAX_BYTES)),
                clock,
                activity,
                cleaner);
        HandoffService handoffs = new HandoffService(
                stores.handoffs(),
                agents,
                leases,
                checkpoints,
                messages,
                audit,
                activity,
                life.handoffs(),
                clock,
                alert,
                cleaner);
        this.agents = agents;
        this.leases = leases;
        this.messages = messages;
        this.memories = memories;
        this.checkpoints = checkpoints;
        this.handoffs = handoffs;

        // 4. Spend: budgets (with the LLM back-off) and usage reports.
        BudgetService budgets = new BudgetService(
                stores.budgets(),
                stores.usage(),
                life.budget(),
                agents,
                audit,
                life.zone(),
                clock,
                alert,
                messages::notice,
                new LlmThrottling(
                        stores.rateLimits(),
                        rate(config, Setting.LLM_THROTTLE_RATE),
                        config.duration(Setting.LLM_BACKOFF_DELAY),
                        config.duration(Setting.LLM_BACKOFF_HOLD),
                        clock,
                        alert));
        UsageService usage = new UsageService(
                stores.usage(),
                life.prices(),
                life.context(),
                life.routing(),
                budgets,
                agents,
                handoffs,
                activity,
                new UsageObservations(metrics, counters));
        this.budgets = budgets;
        this.usage = usage;

        // 5. The lifecycle around the agents' work; the activity relay is bound here, before anything can call.
        ProgressTracker progress = new ProgressTracker(stores.progress(), audit, clock, alert);
        activity.bind(Activity.admitting(progress::record, budgets::admit));
        this.progress = progress;
        this.hotStart = new HotStartService(
                agents,
                leases,
                messages,
                memories,
                checkpoints,
                handoffs,
                () -> usage.routing(null),
                clock,
                config.integer(Setting.HOT_START_MAX_CHARS));
        this.digest = new DigestService(agents, leases, stores.messages(), memories, clock);
        PresencePolicy presence = new PresencePolicy(
                config.duration(Setting.HEARTBEAT_INTERVAL),
                config.integer(Setting.MISSED_BEATS),
                config.duration(Setting.OFFLINE_AFTER),
                config.duration(Setting.STALE_LEASE_GRACE));
        StallDetector stalls = new StallDetector(
                stores.agents(),
                stores.progress(),
                progress,
                life.stallAfter(),
                presence.staleAfter(),
                audit,
                clock,
                alert,
                messages::notice,
                new HttpWaker(life.wakeTimeout(), clock, WakeHosts.parse(config.string(Setting.WAKE_ALLOWED_HOSTS))));
        this.stalls = stalls;
        this.reaper = new PresenceReaper(
                stores.agents(),
                leases,
                presence,
                audit,
                clock,
                alert,
                messages::notice,
                life.handOverReapedLeases() ? handoffs.janitor() : Succession.RELEASE);

        // 6. Errors, tiers, the work queue and what rides on it (rollouts, flags).
        Duration window = config.duration(Setting.ERROR_RATE_WINDOW);
        ErrorLogService errors = new ErrorLogService(
                stores.errorLog(), counters, clock, config.integer(Setting.ERROR_EVENTS_PER_ISSUE), window);
        errors.issueQuota((int) Math.min(Integer.MAX_VALUE, config.wholeNumber(Setting.ERROR_ISSUE_QUOTA)));
        TierService tiers = new TierService(
                stores.tiers(),
                new TierPolicy(
                        config.string(Setting.TIER_CORE_LABEL),
                        config.duration(Setting.TIER_RETRY_AFTER),
                        config.string(Setting.TIER_DESIGNATED_AGENT),
                        Duration.ofSeconds(2)),
                stores.agents()::find,
                alert,
                audit,
                clock);
        RolloutService rollouts = new RolloutService(
                stores.rollouts(),
                stores.tasks(),
                RolloutPolicy.defaults().withMinSamples(config.integer(Setting.ROLLOUT_MIN_SAMPLES)),
                stores.agents()::find,
                agents::list,
                audit,
                clock,
                alert,
                text -> errors.reportObserved("Rollout rolled back", text, "rollout", java.util.Map.of()));
        errors.observe(report -> errorReported(report, budgets, rollouts, metrics, traces));
        TaskService tasks = new TaskService(
                stores.tasks(),
                taskPolicy(config),
                stores.agents()::find,
                tiers,
                audit,
                clock,
                activity,
                lazyTaskSignal(stores),
                both(
                        new TaskEvents(config.string(Setting.TASK_EVENTS_CHANNEL), messages, errors, rollouts::changed),
                        new PoolTally(counters, stores.agents()::find, metrics::taskAttempt)),
                leases.naming(),
                cleaner);
        tasks.route(rollouts);
        this.errors = errors;
        this.tiers = tiers;
        this.rollouts = rollouts;
        this.tasks = tasks;
        this.flags =
                new io.agenthub.flag.FlagService(stores.flags(), stores.agents()::find, clock, alert).audited(audit);

        // 7. The operations view: fleet signals, pool scaling, alert rules and the status table.
        FleetSignals signals = new FleetSignals(agents)
                .useTokensToday(() -> OptionalLong.of(
                        stores.usage().totals(budgets.today(), "", "").fleet().totalTokens()))
                .useStalledAgents(
                        () -> stalls.stalled().stream().map(Progress::agentId).toList())
                .useBudgetHalted(
                        () -> budgets.halts().stream().anyMatch(h -> h.scope().equals(BudgetService.FLEET)));
        this.signals = signals;
        String budget = config.string(Setting.ALERT_DAILY_TOKEN_BUDGET).strip();
        double dailyBudget = budget.isEmpty() ? Double.NaN : Double.parseDouble(budget);
        this.pools = new PoolService(
                stores.tasks(),
                agents,
                counters,
                () -> new ScalingRules.Fleet(
                        tiers.current().tier().number(),
                        signals.budgetHalted(),
                        signals.tokensToday().orElse(-1),
                        dailyBudget),
                ScalingPolicy.defaults()
                        .withWindow(config.duration(Setting.SCALING_WINDOW))
                        .withSteps(
                                config.decimal(Setting.SCALING_HIGH_UTILIZATION),
                                config.integer(Setting.SCALING_MAX_STEP),
                                config.integer(Setting.SCALING_MIN_AGENTS)),
                audit,
                messages::notice,
                clock);
        List<AlertNotifier> all = new ArrayList<>();
        all.add(new ChatNotifier(alert));
        all.addAll(notifiers);
        AlertEngine alerts = new AlertEngine(
                stores.alerts(),
                AlertRules.build(
                        config, agents::list, counters, stores.selfTests()::latest, stores.drills()::latest, signals),
                all,
                clock);
        this.alerts = alerts;
        this.status = new StatusService(
                agents::list,
                counters,
                stores.selfTests()::latest,
                statusThresholds(config),
                window,
                () -> tiers.current().tier(),
                () -> alerts.status().stream()
                        .filter(st -> st.state().status() == AlertState.Status.FIRING)
                        .map(st -> new StatusService.FiringAlert(
                                st.rule().name(), st.rule().severity()))
                        .toList(),
                clock);
    }

    /** The chat channel of hub notices ({@code ops-channel}). */
    public String opsChannel() {
        return opsChannel;
    }

    /**
     * An error report's consequences: the LLM back-off learns of throttling, failures count against the reporter's
     * side of a rollout, and the report is counted and recorded in the reporter's trail.
     */
    private static void errorReported(
            io.agenthub.errorlog.ErrorReport report,
            BudgetService budgets,
            RolloutService rollouts,
            HubMetrics metrics,
            TraceService traces) {
        if (!report.agentId().equals(ErrorLogService.HUB)) {
            LlmThrottling.statusOf(report.title(), report.message(), report.tags())
                    .ifPresent(status -> budgets.llmThrottling().report(report.agentId(), status));
        }
        if (report.level().isFailure()) {
            rollouts.errorReported(report.agentId());
        }
        metrics.errorReported(report.level().label());
        if (report.level().isFailure()) {
            metrics.failure("reported");
        }
        traces.record(
                report.agentId(),
                "error",
                "report",
                report.fingerprint(),
                report.level().label(),
                0);
    }

    /** Sanitised, redacted and flagged text are counted and recorded as security events. */
    private static AgentText.Observer textObserver(HubMetrics metrics, io.agenthub.audit.SecurityEvents security) {
        return new AgentText.Observer() {
            @Override
            public void sanitised(String kind, int count) {
                metrics.textSanitised(kind, count);
                security.text(SecurityEvent.Kind.SANITISED, kind, count);
            }

            @Override
            public void redacted(String kind, int count) {
                metrics.textRedacted(kind, count);
                security.text(SecurityEvent.Kind.REDACTED, kind, count);
            }

            @Override
            public void flagged(String pattern) {
                metrics.textFlagged(pattern);
                security.text(SecurityEvent.Kind.INJECTION_FLAG, pattern, 1);
            }
        };
    }

    private static LeasePolicy leasePolicy(HubConfig config) {
        return new LeasePolicy(
                config.duration(Setting.LEASE_DEFAULT_TTL),
                config.duration(Setting.LEASE_MAX_TTL),
                config.integer(Setting.LEASE_MAX_PER_AGENT));
    }

    private static MessagePolicy messagePolicy(HubConfig config) {
        MessagePolicy defaults = MessagePolicy.defaults();
        return new MessagePolicy(
                config.integer(Setting.MESSAGE_MAX_CHARS),
                config.duration(Setting.MESSAGE_RETENTION),
                config.integer(Setting.CHANNEL_CAP),
                defaults.defaultLimit(),
                defaults.maxLimit(),
                config.duration(Setting.LONG_POLL_MAX));
    }

    private static TaskPolicy taskPolicy(HubConfig config) {
        return new TaskPolicy(
                config.integer(Setting.TASK_MAX_CHARS),
                config.integer(Setting.TASK_QUEUE_MAX),
                config.duration(Setting.TASK_DEFAULT_TTL),
                config.duration(Setting.TASK_MAX_TTL),
                config.integer(Setting.TASK_MAX_ATTEMPTS),
                new TaskStore.Backoff(
                        config.duration(Setting.TASK_RETRY_BASE), config.duration(Setting.TASK_RETRY_MAX)),
                config.duration(Setting.LONG_POLL_MAX),
                TaskPolicy.defaults().scanLimit(),
                config.duration(Setting.TIER_RETRY_AFTER));
    }

    private static StatusService.Thresholds statusThresholds(HubConfig config) {
        double[] agentCount = config.pair(Setting.STATUS_AGENT_COUNT);
        double[] avg = config.pair(Setting.STATUS_AVG_RESPONSE);
        double[] rate = config.pair(Setting.STATUS_ERROR_RATE);
        double[] conflicts = config.pair(Setting.STATUS_CONFLICT_RATE);
        double[] pass = config.pair(Setting.STATUS_PASS_RATE);
        return new StatusService.Thresholds(
                Threshold.higherIsBetter(agentCount[0], agentCount[1]),
                Threshold.lowerIsBetter(avg[0], avg[1]),
                Threshold.lowerIsBetter(rate[0], rate[1]),
                Threshold.lowerIsBetter(conflicts[0], conflicts[1]),
                Threshold.higherIsBetter(pass[0], pass[1]));
    }

    /**
     * The stores' task signal, opened on first use: on Redis it subscribes a connection of its own, which the
     * self-test's scratch services never need.
     */
    private static io.agenthub.message.MessageSignal lazyTaskSignal(Stores stores) {
        return new io.agenthub.message.MessageSignal() {
            @Override
            public void publish(long cursor) {
                stores.taskSignal().publish(cursor);
            }

            @Override
            public long await(long after, Duration timeout) throws InterruptedException {
                return stores.taskSignal().await(after, timeout);
            }
        };
    }

    private static TaskListener both(TaskListener a, TaskListener b) {
        return (kind, task, detail) -> {
            a.changed(kind, task, detail);
            b.changed(kind, task, detail);
        };
    }

    /** The periodic operations work of this set of services. */
    public OpsTasks opsTasks(HubConfig config) {
        return new OpsTasks(
                new OpsTasks.Sources(
                        stores, metrics, counters, traces, tiers, alerts, agents, signals, pools, errors, security,
                        tasks),
                config);
    }

    /** The emergency procedures on this set of services. */
    public EmergencyService emergency(Consumer<String> adminTokenSink) {
        return new EmergencyService(
                new EmergencyService.Sources(agents, auth, leases, tasks, audit, clock, this::announce),
                adminTokenSink);
    }

    /** Posts a hub notice in the {@code ops-channel}. */
    public void announce(String text) {
        messages.announce(opsChannel, text);
    }

    /** Posts a hub alert in the {@code ops-channel}. */
    public void alert(String text) {
        messages.announce(opsChannel, text);
    }

    /** Privileged label changes (by admins, or refused) are security events of the agent, per label. */
    private static void privilegedLabels(io.agenthub.audit.SecurityEvents security, AuditEvent event) {
        if (event.action().equals(io.agenthub.agent.AgentService.PRIVILEGED_LABELS_ACTION)) {
            event.details()
                    .keySet()
                    .forEach(label -> security.record(SecurityEvent.Kind.PRIVILEGED_LABEL, event.subject(), label, 1));
        }
    }

    /** Privileged labels: pool, wake-url and the key of tier-core-label; the labels join keys fix. */
    private static LabelPolicy labelPolicy(HubConfig config) {
        String core = config.string(Setting.TIER_CORE_LABEL);
        LabelPolicy policy = LabelPolicy.of(
                core.contains("=") ? core.substring(0, core.indexOf('=')).strip() : "core");
        try {
            return policy.withJoinKeyLabels(LabelPolicy.parseJoinKeyLabels(config.string(Setting.JOIN_KEY_LABELS)));
        } catch (IllegalArgumentException e) {
            throw config.invalid(Setting.JOIN_KEY_LABELS, e.getMessage());
        }
    }

    /** The rate of each kind of call from its rate-limit-* setting. */
    private static Map<RateLimiter.Kind, Rate> rates(HubConfig config) {
        Map<RateLimiter.Kind, Rate> rates = new EnumMap<>(RateLimiter.Kind.class);
        for (RateLimiter.Kind kind : RateLimiter.Kind.values()) {
            Setting setting = Setting.ALL.stream()
                    .filter(x -> x.key().equals(kind.setting()))
                    .findFirst()
                    .orElseThrow();
            rates.put(kind, rate(config, setting));
        }
        return rates;
    }

    private static Rate rate(HubConfig config, Setting setting) {
        try {
            return Rate.parse(config.string(setting));
        } catch (IllegalArgumentException e) {
            throw config.invalid(setting, "must be PER_MINUTE,BURST such as 120,60, or 0 for no limit");
        }
    }
}
