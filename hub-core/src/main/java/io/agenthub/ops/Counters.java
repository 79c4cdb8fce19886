package io.agenthub.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operation counters for rolling windows. Calls to {@link #add} only touch memory; {@link #flush} (run every few
 * seconds, and before every window read) adds what accumulated to the shared {@link CounterStore}, one atomic add per
 * minute bucket. If the store is down, counts stay here (at most {@link #MAX_PENDING_BUCKETS} minutes of them) and go
 * with the next flush.
 *
 * <p>A window of length {@code d} read at {@code now} covers the one-minute buckets whose start lies in
 * {@code (now - d, now]}: for five minutes, the current minute so far and the four before it.
 */
public final class Counters {
    /** API requests answered, except health checks, metric scrapes and event streams. */
    public static final String REQUESTS = "requests";
    /** Requests answered with a 5xx status, except deliberate refusals (degradation tiers). */
    public static final String SERVER_ERRORS = "server_errors";
    /** Error reports of level fatal or error, from agents or the hub. */
    public static final String REPORTED_FAILURES = "reported_failures";
    /**
     * Prefix of the per-reporter failure counters ({@code reported_failures.by.<agent id>}), which let the rules cap
     * what any one reporter adds to the error rate: see {@link Window#weighedErrorRate(double)}.
     */
    public static final String REPORTED_FAILURES_BY = "reported_failures.by.";
    /**
     * The most one reporter's failures weigh against a rule's threshold: this fraction of it. With a third, one agent
     * reporting failures in a loop reaches at most a third of any threshold, and it takes four agents failing together
     * (or server errors) to cross it.
     */
    public static final double REPORTER_SHARE_OF_THRESHOLD = 1.0 / 3;
    /** Requests whose latency counts toward the average response time (long-polls and streams excluded). */
    public static final String TIMED_REQUESTS = "timed_requests";
    /** Sum of the latencies of {@link #TIMED_REQUESTS}, in milliseconds. */
    public static final String LATENCY_MILLIS = "latency_ms";
    /** Lease acquisitions granted (new grants and re-acquisitions by the holder). */
    public static final String LEASE_GRANTS = "lease_grants";
    /** Lease acquisitions refused because another agent held an overlapping lease. */
    public static final String LEASE_CONFLICTS = "lease_conflicts";

    static final int MAX_PENDING_BUCKETS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

    private final CounterStore store;
    private final InstantSource clock;
    private final ConcurrentHashMap<Instant, ConcurrentHashMap<String, LongAdder>> pending = new ConcurrentHashMap<>();

    public Counters(CounterStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Adds {@code delta} to counter {@code name} in the current minute. */
    public void add(String name, long delta) {
        if (delta == 0) {
            return;
        }
        Instant bucket = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        pending.computeIfAbsent(bucket, b -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> new LongAdder())
                .add(delta);
    }

    /** The per-reporter failure counter of {@code reporter}. */
    public static String reportedBy(String reporter) {
        return REPORTED_FAILURES_BY + reporter;
    }

    /** Adds one to counter {@code name}. */
    public void increment(String name) {
        add(name, 1);
    }

    /** Writes what accumulated to the store; what cannot be written now is kept for the next flush. */
    public void flush() {
        for (Instant bucket : new TreeMap<>(pending).keySet()) {
            ConcurrentHashMap<String, LongAdder> counts = pending.remove(bucket);
            if (counts == null) {
                continue;
            }
            Map<String, Long> deltas = new HashMap<>();
            counts.forEach((name, adder) -> {
                long v = adder.sumThenReset();
                if (v != 0) {
                    deltas.put(name, v);
                }
            });
            if (deltas.isEmpty()) {
                continue;
            }
            try {
                store.add(bucket, deltas);
            } catch (RuntimeException e) {
                deltas.forEach((name, v) -> pending.computeIfAbsent(bucket, b -> new ConcurrentHashMap<>())
                        .computeIfAbsent(name, n -> new LongAdder())
                        .add(v));
                dropOldest();
                LOG.warn("Could not write operation counters ({}); keeping them for the next flush.", e.getMessage());
                return;
            }
        }
    }

    private void dropOldest() {
        while (pending.size() > MAX_PENDING_BUCKETS) {
            pending.keySet().stream().min(Instant::compareTo).ifPresent(pending::remove);
        }
    }

    /** Flushes, then sums every counter over the window of length {@code length} that ends now. */
    public Window window(Duration length) {
        flush();
        Instant now = clock.instant();
        Instant end = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant start = end.minus(length.truncatedTo(ChronoUnit.MINUTES).isZero() ? Duration.ofMinutes(1) : length);
        return new Window(length, store.sum(start, end));
    }

    /** Sums every counter over the window of length {@code length} just before the one {@link #window} reads now. */
    public Window previousWindow(Duration length) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Duration d = length.truncatedTo(ChronoUnit.MINUTES).isZero() ? Duration.ofMinutes(1) : length;
        return new Window(length, store.sum(end.minus(d).minus(d), end.minus(d)));
    }

    /**
     * Sums every counter over the one-minute buckets that start in {@code [from, to)}, as stored (what accumulated on
     * this node since the last {@link #flush} is not included). For charts: one store read per call.
     */
    public Window between(Instant from, Instant to) {
        return new Window(Duration.between(from, to), store.sum(from, to));
    }

    /** Forgets buckets older than {@code keep}. */
    public int purge(Duration keep) {
        return store.purgeBefore(clock.instant().minus(keep).truncatedTo(ChronoUnit.MINUTES));
    }

    /**
     * Counter totals over one window, with the rates derived from them.
     *
     * @param totals per counter; absent counters are zero
     */
    public record Window(Duration length, Map<String, Long> totals) {
        public Window {
            totals = Map.copyOf(totals);
        }

        public long get(String name) {
            return totals.getOrDefault(name, 0L);
        }

        /**
         * The error rate as it happened: (server errors + reported failures) / max(1, requests). Reports arrive as
         * requests too, so the rate stays within [0, 1] for traffic through the API; it is capped at 1 for failures
         * reported otherwise. Shown on the status table, the overview and the metrics; rules use
         * {@link #weighedErrorRate(double)}.
         */
        public double errorRate() {
            long failures = get(SERVER_ERRORS) + get(REPORTED_FAILURES);
            return Math.min(1.0, (double) failures / Math.max(1, get(REQUESTS)));
        }

        /**
         * The error rate a rule compares with {@code threshold}: {@link #weighedFailures(double)} / max(1, requests),
         * capped at 1. One reporter alone adds at most {@link #REPORTER_SHARE_OF_THRESHOLD} of the threshold.
         */
        public double weighedErrorRate(double threshold) {
            return Math.min(1.0, weighedFailures(threshold) / Math.max(1, get(REQUESTS)));
        }

        /**
         * The failures a rule with {@code threshold} counts: every server error, and each reporter's reported failures
         * up to {@link #REPORTER_SHARE_OF_THRESHOLD} × threshold × requests (at least one). Reported failures without a
         * reporter counter (the hub's own, or counted before reporters were) count in full.
         */
        public double weighedFailures(double threshold) {
            double cap = Math.max(1.0, REPORTER_SHARE_OF_THRESHOLD * threshold * get(REQUESTS));
            double reported = 0;
            long attributed = 0;
            for (Map.Entry<String, Long> e : totals.entrySet()) {
                if (e.getKey().startsWith(REPORTED_FAILURES_BY)) {
                    reported += Math.min(e.getValue(), cap);
                    attributed += e.getValue();
                }
            }
            return get(SERVER_ERRORS) + reported + Math.max(0, get(REPORTED_FAILURES) - attributed);
        }

        /** Lease conflicts / (grants + conflicts); 0 when nothing was acquired. */
        public double conflictRate() {
            long attempts = get(LEASE_GRANTS) + get(LEASE_CONFLICTS);
            return attempts == 0 ? 0 : (double) get(LEASE_CONFLICTS) / attempts;
        }

        /** Average latency of timed requests in milliseconds; 0 when there were none. */
        public double averageMillis() {
            long n = get(TIMED_REQUESTS);
            return n == 0 ? 0 : (double) get(LATENCY_MILLIS) / n;
        }
    }
}
