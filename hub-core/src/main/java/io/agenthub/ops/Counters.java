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
         * The error rate: (server errors + reported failures) / max(1, requests). Reports arrive as requests too, so
         * the rate stays within [0, 1] for traffic through the API; it is capped at 1 for failures reported otherwise.
         */
        public double errorRate() {
            long requests = get(REQUESTS);
            long failures = get(SERVER_ERRORS) + get(REPORTED_FAILURES);
            return Math.min(1.0, (double) failures / Math.max(1, requests));
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
