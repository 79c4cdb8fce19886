package io.agenthub.server.ops;

import io.agenthub.ops.Counters;
import io.agenthub.task.TaskService;
import io.agenthub.task.TaskStore;
import io.agenthub.usage.UsageEntry;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard's charts read from the shared one-minute {@link Counters}, besides requests and leases: model
 * tokens and cost per pool and model (the usage store keeps them per day only), and the queue depth of every pool,
 * sampled once a minute by every node. Counters are kept two days ({@link OpsTasks#housekeeping}).
 *
 * <p>Names: {@code usage|tokens|<pool>|<model>} and {@code usage|cost_nanos|<pool>|<model>} (a pool never holds
 * {@code |}; the model comes last and may), {@code queue|depth|<pool>} (the sum of the samples' depths) and {@code
 * queue|samples} (how many samples were taken, by every node, so that a bucket's mean depth is the one divided by the
 * other however many nodes sample).
 */
public final class ChartCounters {
    static final String TOKENS = "usage|tokens|";
    static final String COST = "usage|cost_nanos|";
    static final String DEPTH = "queue|depth|";
    static final String SAMPLES = "queue|samples";
    /** Pools sampled at most, like {@link io.agenthub.pool.PoolService#MAX_POOLS}. */
    private static final int MAX_POOLS = 100;

    private ChartCounters() {}

    /** Counts one recorded usage report. */
    static void usage(Counters counters, UsageEntry e) {
        String key = e.pool() + '|' + e.model();
        counters.add(TOKENS + key, e.tally().totalTokens());
        counters.add(COST + key, e.tally().costNanos());
    }

    /** Adds one sample of every pool's queue depth (queued and retry-waiting tasks). */
    public static void sampleQueues(TaskService tasks, Counters counters) {
        int n = 0;
        for (String pool : tasks.pools()) {
            if (n++ >= MAX_POOLS) {
                break;
            }
            TaskStore.QueueStats q = tasks.queue(pool);
            counters.add(DEPTH + pool, q.depth());
        }
        counters.increment(SAMPLES);
    }

    /** The four usage sums of one window: tokens and cost (USD) by pool and by model. */
    public record Usage(
            Map<String, Long> tokensByPool,
            Map<String, Long> tokensByModel,
            Map<String, Double> costUsdByPool,
            Map<String, Double> costUsdByModel) {}

    /** Model usage in a window's totals; a report without a pool counts as {@code (no pool)}. */
    public static Usage usage(Counters.Window w) {
        Map<String, Long> tokensByPool = new TreeMap<>();
        Map<String, Long> tokensByModel = new TreeMap<>();
        Map<String, Double> costByPool = new TreeMap<>();
        Map<String, Double> costByModel = new TreeMap<>();
        w.totals().forEach((name, v) -> {
            boolean tokens = name.startsWith(TOKENS);
            if (!tokens && !name.startsWith(COST)) {
                return;
            }
            String rest = name.substring(tokens ? TOKENS.length() : COST.length());
            int bar = rest.indexOf('|');
            if (bar < 0) {
                return;
            }
            String pool = bar == 0 ? "(no pool)" : rest.substring(0, bar);
            String model = rest.substring(bar + 1);
            if (tokens) {
                tokensByPool.merge(pool, v, Long::sum);
                tokensByModel.merge(model, v, Long::sum);
            } else {
                costByPool.merge(pool, v / 1e9, Double::sum);
                costByModel.merge(model, v / 1e9, Double::sum);
            }
        });
        return new Usage(tokensByPool, tokensByModel, costByPool, costByModel);
    }

    /** The mean queue depth of every pool sampled in a window. */
    public static Map<String, Double> queueDepth(Counters.Window w) {
        long samples = w.get(SAMPLES);
        Map<String, Double> out = new TreeMap<>();
        if (samples == 0) {
            return out;
        }
        w.totals().forEach((name, v) -> {
            if (name.startsWith(DEPTH)) {
                out.put(name.substring(DEPTH.length()), (double) v / samples);
            }
        });
        return out;
    }
}
