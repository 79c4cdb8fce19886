package io.agenthub.server.ops;

import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.message.Message;
import io.agenthub.usage.Tally;
import io.agenthub.usage.Usd;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The hub's Prometheus metrics (Micrometer). Counters and timers are recorded as things happen; gauges read holders
 * that {@link OpsTasks} refreshes from the services before each scrape and on every evaluation pass. Every counter
 * that the shipped alert rules and dashboard add up or divide by exists at zero from start-up, for each value of its
 * label, so that a healthy hub shows 0 % rather than no data. Names as scraped (all pass {@code promtool check
 * metrics}):
 *
 * <ul>
 *   <li>{@code hub_http_requests_seconds{route,status,outcome,wait}}: latency histogram per route; {@code outcome} is
 *       ok, client_error, server_error or refused (degradation tier); {@code wait} is true for long-polls and streams
 *   <li>{@code hub_mcp_tool_calls_seconds{tool,outcome}}: the same per MCP tool (recorded by the MCP adapter)
 *   <li>{@code hub_operations_total} and {@code hub_operation_failures_total{source=server|reported}}: the error
 *       rate's numerator and denominator, exactly as the hub defines it
 *   <li>{@code hub_lease_acquisitions_total{outcome=granted|extended|refused|limit}},
 *       {@code hub_lease_releases_total{how=released|forced}}
 *   <li>{@code hub_messages_total{kind=chat|dm|notice}}, {@code hub_errors_reported_total{level}}
 *   <li>{@code hub_security_events_total{kind}}: refused calls and other security events, as the safety report counts
 *       them ({@link io.agenthub.audit.SecurityEvent.Kind})
 *   <li>{@code hub_tokens_total{kind=input|output|cache_read|cache_write}}, {@code hub_cost_usd_total}: model usage as
 *       observed after the usage store recorded it ({@link UsageObservations}), so reports over REST and MCP both count
 *   <li>{@code hub_task_claims_total{pool}}, {@code hub_task_completions_total{pool,outcome=done|failed|lost}},
 *       {@code hub_task_duration_seconds{pool,version,outcome}} (claim to done or failed)
 *   <li>per pool, refreshed like the other gauges: {@code hub_task_queue_depth{pool}}, {@code
 *       hub_task_oldest_age_seconds{pool}}, {@code hub_pool_agents_online{pool}}, {@code hub_pool_agents_busy{pool}},
 *       {@code hub_pool_utilization{pool}}, {@code hub_pool_claims_per_minute{pool}}, {@code
 *       hub_scaling_recommendation{pool}} (+n add, -n remove, 0 hold)
 *   <li>gauges: {@code hub_agents{presence}}, {@code hub_agents_active}, {@code hub_agents_registered},
 *       {@code hub_agents_disabled}, {@code hub_agents_stalled}, {@code hub_error_rate}, {@code hub_coordination_conflict_ratio},
 *       {@code hub_avg_response_seconds}, {@code hub_tier}, {@code hub_alert_firing{alert,severity}},
 *       {@code hub_selftest_pass_ratio}, {@code hub_selftest_checks{status}},
 *       {@code hub_selftest_last_run_timestamp_seconds}, {@code hub_tokens_today}, {@code hub_token_budget_daily}
 *   <li>JVM memory and threads, CPU ({@code process_cpu_seconds_total}, {@code system_cpus} where Micrometer has
 *       {@code process_cpu_time_ns_total} and {@code system_cpu_count}, names that promtool refuses), uptime
 * </ul>
 */
public final class HubMetrics {
    /** Outcomes of a lease acquisition. */
    public static final List<String> LEASE_OUTCOMES = List.of("granted", "extended", "refused", "limit");
    /** Kinds of model tokens. */
    public static final List<String> TOKEN_KINDS = List.of("input", "output", "cache_read", "cache_write");

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30)
    };

    private static final Duration[] TASK_BUCKETS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(30),
        Duration.ofHours(1)
    };

    private final PrometheusMeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Value> gauges = new ConcurrentHashMap<>();

    /** A gauge's current value. */
    public static final class Value {
        private volatile double value = Double.NaN;

        public void set(double v) {
            value = v;
        }

        public double get() {
            return value;
        }
    }

    /** @param jvm bind JVM and process meters (the hub's own registry; not the self-test's scratch ones) */
    public HubMetrics(boolean jvm) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (jvm) {
            bindJvm();
        }
        operation(0);
        for (String source : List.of("server", "reported")) {
            failure(source, 0);
        }
        for (String outcome : LEASE_OUTCOMES) {
            leaseAcquisition(outcome, 0);
        }
        for (String how : List.of("released", "forced")) {
            leaseRelease(how, 0);
        }
        for (Message.Kind kind : Message.Kind.values()) {
            message(kind.name().toLowerCase(Locale.ROOT), 0);
        }
        for (ErrorLevel level : ErrorLevel.values()) {
            errorReported(level.label(), 0);
        }
        usage(Tally.ZERO);
        for (io.agenthub.audit.SecurityEvent.Kind kind : io.agenthub.audit.SecurityEvent.Kind.values()) {
            securityEvent(kind.key(), 0);
        }
    }

    /**
     * JVM memory and threads, processor and uptime. Two of Micrometer's processor meters get names that promtool
     * accepts: the process's CPU time in seconds ({@code process_cpu_seconds_total}, the name Prometheus clients use)
     * instead of nanoseconds, and the processor count as {@code system_cpus} (a {@code _count} suffix belongs to
     * histograms and summaries).
     */
    private void bindJvm() {
        registry.config()
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("The CPU time used by the Java virtual machine process")
                    .register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The exposition text for {@code GET /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    /** One answered HTTP request. */
    public void request(String route, int status, String outcome, boolean waited, long nanos) {
        String key = route + '|' + status + '|' + outcome + '|' + waited;
        timers.computeIfAbsent(
                        key,
                        k -> Timer.builder("hub.http.requests")
                                .description("HTTP API requests by route")
                                .tags(
                                        "route",
                                        route,
                                        "status",
                                        Integer.toString(status),
                                        "outcome",
                                        outcome,
                                        "wait",
                                        Boolean.toString(waited))
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One MCP tool call; for the MCP adapter. */
    public void toolCall(String tool, boolean ok, long nanos) {
        String key = "tool|" + tool + '|' + ok;
        timers.computeIfAbsent(
                        key,
                        k -> Timer.builder("hub.mcp.tool.calls")
                                .description("MCP tool calls by tool")
                                .tags("tool", tool, "outcome", ok ? "ok" : "error")
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request counted in the error rate's denominator. */
    public void operation() {
        operation(1);
    }

    private void operation(double n) {
        counter("hub.operations", "API requests counted in the error rate").increment(n);
    }

    /** A failure counted in the error rate: {@code server} (5xx) or {@code reported} (fatal or error report). */
    public void failure(String source) {
        failure(source, 1);
    }

    private void failure(String source, double n) {
        counter("hub.operation.failures", "Failures counted in the error rate", "source", source)
                .increment(n);
    }

    /** A lease acquisition: one of {@link #LEASE_OUTCOMES}. */
    public void leaseAcquisition(String outcome) {
        leaseAcquisition(outcome, 1);
    }

    private void leaseAcquisition(String outcome, double n) {
        counter("hub.lease.acquisitions", "Lease acquisitions by outcome", "outcome", outcome)
                .increment(n);
    }

    /** A lease release: {@code released} by its holder, or {@code forced} by an admin. */
    public void leaseRelease(String how) {
        leaseRelease(how, 1);
    }

    private void leaseRelease(String how, double n) {
        counter("hub.lease.releases", "Lease releases", "how", how).increment(n);
    }

    /** A stored message of a kind ({@code chat}, {@code dm}, {@code notice}). */
    public void message(String kind) {
        message(kind, 1);
    }

    private void message(String kind, double n) {
        counter("hub.messages", "Messages stored by kind", "kind", kind).increment(n);
    }

    /**
     * Security events by kind ({@code unauthenticated}, {@code bad_token}, {@code forbidden}, {@code rate_limited},
     * {@code quota_refused}, {@code privileged_label}, {@code sanitised}, {@code redacted}, {@code injection_flag}):
     * {@code hub_security_events_total{kind}}, every kind at zero from start-up.
     */
    public void securityEvent(String kind, long count) {
        counter(
                        "hub.security.events",
                        "Security events (refusals, privileged label changes, text findings), by kind",
                        "kind",
                        kind)
                .increment(count);
    }

    /** A call refused by the rate limiter, by kind ({@code writes}, {@code chat}, ..., {@code anonymous}). */
    public void rateLimited(String kind) {
        counter("hub.rate.limited", "Calls refused by the rate limiter, by kind", "kind", kind)
                .increment();
    }

    /** Characters or escape sequences of a kind removed from agents' text ({@code ansi}, {@code bidi}, ...). */
    public void textSanitised(String kind, int count) {
        counter(
                        "hub.text.sanitised",
                        "Characters and escape sequences removed from agents' text, by kind",
                        "kind",
                        kind)
                .increment(count);
    }

    /** Secrets of a kind redacted from agents' text ({@code anthropic}, {@code aws-key-id}, ...). */
    public void textRedacted(String kind, int count) {
        counter("hub.text.redactions", "Secrets redacted from agents' text, by kind", "kind", kind)
                .increment(count);
    }

    /** Stored text of an agent that matched a prompt-injection pattern. */
    public void textFlagged(String pattern) {
        counter(
                        "hub.text.injection.flags",
                        "Agents' texts flagged as possible prompt injection, by pattern",
                        "pattern",
                        pattern)
                .increment();
    }

    /** A reported error of a level. */
    public void errorReported(String level) {
        errorReported(level, 1);
    }

    private void errorReported(String level, double n) {
        counter("hub.errors.reported", "Error reports by level", "level", level).increment(n);
    }

    /** Recorded model usage: its tokens by kind ({@link #TOKEN_KINDS}) and its cost. */
    public void usage(Tally tally) {
        long[] tokens = {tally.inputTokens(), tally.outputTokens(), tally.cacheReadTokens(), tally.cacheWriteTokens()};
        for (int i = 0; i < tokens.length; i++) {
            counter("hub.tokens", "Model tokens used by kind", "kind", TOKEN_KINDS.get(i))
                    .increment(tokens[i]);
        }
        counter("hub.cost.usd", "Model cost in US dollars").increment(tally.costNanos() / (double) Usd.NANOS);
    }

    /**
     * One task attempt event from {@link io.agenthub.pool.PoolTally}: a claim ({@code hub_task_claims_total{pool}}) or
     * an ended attempt ({@code hub_task_completions_total{pool,outcome}}, outcome done, failed or lost), with the
     * claim's duration in {@code hub_task_duration_seconds{pool,version,outcome}} for done and failed.
     */
    public void taskAttempt(String kind, String pool, String version, Duration took) {
        if (kind.equals("claimed")) {
            counter("hub.task.claims", "Task claims by pool", "pool", pool).increment();
            return;
        }
        counter("hub.task.completions", "Ended task attempts by pool and outcome", "pool", pool, "outcome", kind)
                .increment();
        if (took != null) {
            String v = version.isEmpty() ? "none" : version;
            timers.computeIfAbsent(
                            "task|" + pool + '|' + v + '|' + kind,
                            k -> Timer.builder("hub.task.duration")
                                    .description("Task claim durations (claim to done or failed) by pool and version")
                                    .tags("pool", pool, "version", v, "outcome", kind)
                                    .serviceLevelObjectives(TASK_BUCKETS)
                                    .register(registry))
                    .record(Math.max(0, took.toNanos()), TimeUnit.NANOSECONDS);
        }
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("|", tags);
        return counters.computeIfAbsent(
                key,
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    /** The holder of a gauge, registered on first use. */
    public Value gauge(String name, String description, Map<String, String> tags) {
        String key = name + tags;
        return gauges.computeIfAbsent(key, k -> {
            Value v = new Value();
            Gauge.Builder<Value> b = Gauge.builder(name, v, Value::get).description(description);
            tags.forEach(b::tag);
            b.register(registry);
            return v;
        });
    }

    public Value gauge(String name, String description) {
        return gauge(name, description, Map.of());
    }

    /** Closes the registry (its meters stop). */
    public void close() {
        registry.close();
    }
}
