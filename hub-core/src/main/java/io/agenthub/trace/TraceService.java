package io.agenthub.trace;

import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import io.agenthub.error.Require;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trail of each agent's actions for incident investigation: calls, leases, messages and errors. Recording only
 * queues in memory; {@link #flush} (every few seconds, and before every read) writes the queue in one batch. At most
 * {@link #MAX_QUEUED} entries wait; beyond that the oldest are dropped (and counted), so a slow store never holds up
 * requests.
 *
 * <p>A call's trail has two writers that never meet: the operations' observers (a lease granted, a message stored),
 * called by services that know nothing of requests and are also called by background work (reaper, drills), and the
 * adapters' request hook, the only place that knows how the call ended (latency, status, refusal code), after the
 * service returned or threw. The hook brackets every REST request and MCP tool call: {@link #beginCall} when it admits
 * the call, {@link #endCall} from the adapter's {@code finally}, on the one (virtual) thread that runs the call from
 * admission to answer. In between, {@link #record} holds the call's entries in a buffer confined to that thread, so that
 * {@code endCall} can stamp the first of the caller's with the call's latency instead of writing a separate entry.
 * Outside a call (background work, or work a call hands to another thread) entries are queued at once: an entry is
 * never lost for want of a call, it is only not merged. {@code endCall} always clears the buffer, also for calls
 * refused before they were admitted, so nothing carries over to the thread's next call.
 */
public final class TraceService {
    static final int MAX_QUEUED = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(TraceService.class);
    private static final int BATCH = 200;
    private static final ThreadLocal<List<TraceEntry>> CALL = new ThreadLocal<>();

    private final TraceStore store;
    private final InstantSource clock;
    private final ConcurrentLinkedQueue<TraceEntry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    public TraceService(TraceStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Queues one entry for {@code agentId}, stamped now. During a call (see {@link #beginCall}) on this thread, the
     * entry is held until the call ends.
     */
    public void record(String agentId, String kind, String action, String subject, String outcome, long millis) {
        TraceEntry entry = new TraceEntry(0, agentId, clock.instant(), kind, action, subject, outcome, millis);
        List<TraceEntry> call = CALL.get();
        if (call != null) {
            call.add(entry);
        } else {
            enqueue(entry);
        }
    }

    /**
     * Starts a request or tool call on this thread. Entries the services record during it (a lease granted, a message
     * sent) describe the call better than its route and status alone, so {@link #endCall} writes them instead of a
     * separate {@code call} entry, with the call's latency.
     */
    public void beginCall() {
        CALL.set(new ArrayList<>(2));
    }

    /**
     * Ends the call started on this thread. If the services recorded entries for {@code agentId} during it, they are
     * queued, the first with the call's latency and, for a failed call, its status; otherwise (a read, a refusal
     * before any service acted) one {@code call} entry is queued. Entries for other agents (an admin ending someone's
     * lease) are queued as they are, beside the caller's own call entry.
     *
     * @param agentId the caller, or null for an anonymous call (no call entry)
     * @param status the HTTP status, or 0 for a tool call
     * @param outcome the call's outcome as it would appear in a call entry, e.g. {@code 201} or {@code 409 lease_held}
     */
    public void endCall(String agentId, String action, int status, String outcome, long millis) {
        List<TraceEntry> call = CALL.get();
        CALL.remove();
        boolean described = false;
        if (call != null) {
            for (TraceEntry e : call) {
                if (!described && e.agentId().equals(agentId)) {
                    described = true;
                    String result = status >= 400 ? e.outcome() + " (" + outcome + ")" : e.outcome();
                    e = new TraceEntry(0, e.agentId(), e.at(), e.kind(), e.action(), e.subject(), result, millis);
                }
                enqueue(e);
            }
        }
        if (!described && agentId != null) {
            enqueue(new TraceEntry(0, agentId, clock.instant(), "call", action, "", outcome, millis));
        }
    }

    /** Ends the call started on this thread without a call entry: whatever was recorded is queued as it is. */
    public void endCall() {
        endCall(null, "", 0, "", 0);
    }

    private void enqueue(TraceEntry entry) {
        queue.add(entry);
        if (queued.incrementAndGet() > MAX_QUEUED && queue.poll() != null) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    /** Writes what is queued; on failure puts nothing back (the trail is best effort) and logs how much was lost. */
    public void flush() {
        while (true) {
            List<TraceEntry> batch = new ArrayList<>();
            TraceEntry e;
            while (batch.size() < BATCH && (e = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(e);
            }
            if (batch.isEmpty()) {
                break;
            }
            try {
                store.append(batch);
            } catch (RuntimeException ex) {
                LOG.warn("Could not write {} trace entries: {}", batch.size(), ex.getMessage());
                dropped.addAndGet(batch.size());
                break;
            }
        }
    }

    /** Entries dropped since start (queue full or store down). */
    public int dropped() {
        return dropped.get();
    }

    /**
     * One page of a trail, in time order.
     *
     * @param prevCursor pass as {@code before} to read the page of older entries; null when there are none
     */
    public record Page(List<TraceEntry> entries, TraceCursor prevCursor) {
        public Page {
            entries = List.copyOf(entries);
        }
    }

    /** The newest page of one agent's trail since {@code since}; see {@link #trail(Principal, String, Instant, TraceCursor, Integer)}. */
    public List<TraceEntry> trail(Principal caller, String agentId, Instant since, Integer limit) {
        return trail(caller, agentId, since, null, limit).entries();
    }

    /**
     * A page of one agent's trail since {@code since} (default: the last hour), in time order: the newest entries, or
     * with {@code before} the ones just before it. Agents read their own; viewers and admins anyone's.
     *
     * @param limit at most this many entries, 1 to 5000 (default 500)
     */
    public Page trail(Principal caller, String agentId, Instant since, TraceCursor before, Integer limit) {
        String id = agentId == null || agentId.isBlank() ? caller.id() : Require.id("agentId", agentId);
        if (caller.role() == Role.AGENT && !id.equals(caller.id())) {
            throw new HubException.Forbidden("An agent reads only its own trace; operators may read any.");
        }
        int n = limit == null ? 500 : (int) Require.range("limit", limit, 1, 5000);
        Instant from = since == null ? clock.instant().minus(Duration.ofHours(1)) : since;
        flush();
        List<TraceEntry> found = store.latest(id, from, before, n);
        return new Page(found, found.size() == n ? TraceCursor.of(found.getFirst()) : null);
    }

    /** Forgets entries older than {@code keep}. */
    public int purge(Duration keep) {
        return store.purgeBefore(clock.instant().minus(keep));
    }

    /** Forgets entries older than {@code keep}, then the oldest beyond the newest {@code maxEntries}. */
    public int purge(Duration keep, long maxEntries) {
        return purge(keep) + store.trimTo(maxEntries);
    }
}
