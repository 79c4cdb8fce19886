package io.agenthub.audit;

import io.agenthub.error.HubException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts security events in memory, per minute, and adds them to the {@link AuditStore} on {@link #flush} (every few
 * seconds). Recording one costs a map lookup and an increment, never a store write, so a flood of refused calls cannot
 * turn into a flood of writes. Memory is bounded too: a minute keeps at most {@link #MAX_ROWS_PER_MINUTE} distinct
 * (kind, subject, detail) rows, and what comes after that (many client addresses, say) is counted under the subject
 * {@link #OTHERS} (one such row per kind); subjects and details are cut to {@link #MAX_TEXT} characters; if the store is down, at most
 * {@link #MAX_PENDING_MINUTES} minutes wait for it.
 *
 * <p>Text findings (sanitised, redacted, flagged) are attributed to the caller of the request that wrote the text:
 * the adapters name it with {@link #during} for the length of a call.
 */
public final class SecurityEvents {
    /** The subject under which a minute's events past {@link #MAX_ROWS_PER_MINUTE} are counted. */
    public static final String OTHERS = "(others)";

    public static final int MAX_ROWS_PER_MINUTE = 500;
    static final int MAX_PENDING_MINUTES = 60;
    static final int MAX_TEXT = 160;
    private static final Logger LOG = LoggerFactory.getLogger(SecurityEvents.class);
    private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

    /** Records nothing: for services built without a hub around them. */
    public static final SecurityEvents NONE = new SecurityEvents(null, InstantSource.system());

    private record Row(String kind, String subject, String detail) {}

    /** One minute's counts; {@code rows} counts its rows other than the {@link #OTHERS} ones, for the bound. */
    private record Minute(ConcurrentHashMap<Row, LongAdder> counts, AtomicInteger rows) {
        Minute() {
            this(new ConcurrentHashMap<>(), new AtomicInteger());
        }

        LongAdder adder(Row row) {
            LongAdder adder = counts.get(row);
            if (adder != null) {
                return adder;
            }
            // A new row takes a place first (a race may waste one, never pass the bound); past the bound, (others).
            if (row.subject().equals(OTHERS) || rows.incrementAndGet() > MAX_ROWS_PER_MINUTE) {
                if (!row.subject().equals(OTHERS)) {
                    rows.decrementAndGet();
                }
                row = new Row(row.kind(), OTHERS, "");
            }
            return counts.computeIfAbsent(row, r -> new LongAdder());
        }
    }

    private final AuditStore store;
    private final InstantSource clock;
    private final ConcurrentHashMap<Instant, Minute> pending = new ConcurrentHashMap<>();
    private volatile BiConsumer<SecurityEvent.Kind, Long> observer = (k, n) -> {};

    /** @param store where minutes go on {@link #flush}; null records nothing */
    public SecurityEvents(AuditStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Told of every event as it is recorded, with its count (for the metrics). */
    public SecurityEvents observe(BiConsumer<SecurityEvent.Kind, Long> observer) {
        this.observer = observer;
        return this;
    }

    /** Counts {@code count} events of {@code kind} by {@code subject} with {@code detail} in the current minute. */
    public void record(SecurityEvent.Kind kind, String subject, String detail, long count) {
        if (store == null || count <= 0) {
            return;
        }
        observer.accept(kind, count);
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        pending.computeIfAbsent(minute, m -> new Minute())
                .adder(new Row(kind.key(), cut(subject), cut(detail)))
                .add(count);
    }

    /**
     * Counts a refused call, if the refusal is a security event: without a token or with a bad one (by client
     * address), forbidden (by caller and route) or at a storage quota (by caller and quota). Rate-limit refusals are
     * counted by the limiter's listener ({@link #rateLimited}), which also sees MCP calls.
     *
     * @param caller the authenticated caller's id, or null
     * @param route what was called, e.g. {@code PATCH /api/agents/{id}} or {@code mcp memory_add}
     * @param address the client address, or null where it is not known
     * @param presentedToken whether the call carried a bearer token (a bad token, rather than none)
     */
    public void refused(HubException e, String caller, String route, String address, boolean presentedToken) {
        String who = caller != null ? caller : address == null ? "" : address;
        switch (e) {
            case HubException.Unauthenticated x ->
                record(
                        presentedToken ? SecurityEvent.Kind.BAD_TOKEN : SecurityEvent.Kind.UNAUTHENTICATED,
                        address == null ? who : address,
                        route,
                        1);
            case HubException.Forbidden x -> record(SecurityEvent.Kind.FORBIDDEN, who, route, 1);
            default -> {
                Object quota = e.details().get("quota");
                if (quota != null || "quota_exceeded".equals(e.code())) {
                    record(SecurityEvent.Kind.QUOTA_REFUSED, who, quota == null ? route : quota.toString(), 1);
                }
            }
        }
    }

    /** Counts a call the rate limiter refused: {@code who} is the agent or client address, {@code limit} its kind. */
    public void rateLimited(String who, String limit) {
        record(SecurityEvent.Kind.RATE_LIMITED, who, limit, 1);
    }

    /** Counts a text finding of {@code kind} ({@code sanitised}, ...) by the caller of the call under way. */
    public void text(SecurityEvent.Kind kind, String what, long count) {
        String caller = CALLER.get();
        record(kind, caller == null ? "" : caller, what, count);
    }

    /** Names the caller of the call under way on this thread, for {@link #text}; null ends it. */
    public static void during(String caller) {
        if (caller == null) {
            CALLER.remove();
        } else {
            CALLER.set(caller);
        }
    }

    /** Adds what accumulated to the store, one atomic add per minute; what cannot be written waits for the next. */
    public void flush() {
        if (store == null) {
            return;
        }
        for (Instant minute : new TreeMap<>(pending).keySet()) {
            Minute m = pending.remove(minute);
            if (m == null) {
                continue;
            }
            List<SecurityEvent> counts = new ArrayList<>(m.counts().size());
            m.counts().forEach((r, adder) -> {
                long n = adder.sumThenReset();
                if (n > 0) {
                    counts.add(new SecurityEvent(r.kind(), r.subject(), r.detail(), n));
                }
            });
            if (counts.isEmpty()) {
                continue;
            }
            try {
                store.addSecurityEvents(minute, counts);
            } catch (RuntimeException e) {
                Minute back = pending.computeIfAbsent(minute, x -> new Minute());
                for (SecurityEvent c : counts) {
                    back.adder(new Row(c.kind(), c.subject(), c.detail())).add(c.count());
                }
                while (pending.size() > MAX_PENDING_MINUTES) {
                    pending.keySet().stream().min(Instant::compareTo).ifPresent(pending::remove);
                }
                LOG.warn("Could not write security events ({}); keeping them for the next flush.", e.getMessage());
                return;
            }
        }
    }

    /** Flushes, then the totals per (kind, subject, detail) of the minutes that start in {@code [from, to)}. */
    public List<SecurityEvent> between(Instant from, Instant to) {
        if (store == null) {
            return List.of();
        }
        flush();
        return store.securityEvents(from.truncatedTo(ChronoUnit.MINUTES), to);
    }

    /** Forgets the minutes older than {@code keep}. */
    public int purge(Duration keep) {
        return store == null
                ? 0
                : store.purgeSecurityEventsBefore(clock.instant().minus(keep).truncatedTo(ChronoUnit.MINUTES));
    }

    /** The events of {@code events} by kind, in the order of {@link SecurityEvent.Kind}, every kind present. */
    public static Map<String, Long> byKind(List<SecurityEvent> events) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (SecurityEvent.Kind k : SecurityEvent.Kind.values()) {
            out.put(k.key(), 0L);
        }
        events.forEach(e -> out.merge(e.kind(), e.count(), Long::sum));
        return out;
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }
}
