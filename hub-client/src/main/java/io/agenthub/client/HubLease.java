package io.agenthub.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A lease held while this object is open: it renews itself on a virtual thread at a fraction of its TTL, says when it
 * was lost, and releases with its token on {@link #close()}.
 *
 * <pre>{@code
 * try (HubLease lease = client.leases().acquire("src/app.ts", Duration.ofMinutes(10))) {
 *     edit(lease.token());
 *     if (lease.isLost()) { ... stop writing: someone else may hold it now }
 * }
 * }</pre>
 *
 * <p>Lost means the hub refused a renewal (an admin force-released it, the reaper released it, it expired while the
 * renewer was stalled: 409, 404, 403 or 401), or no renewal got through before the TTL ran out (hub unreachable or
 * 503), measured on this machine's monotonic clock from when the last successful renewal (or the acquire) was sent:
 * the hub cannot have started the lease before the request left, so this never counts on a lease longer than the hub
 * grants it, whatever the hub's clock says or however long the answer took. {@link #lost()} completes with the
 * hub's sentence. A lost lease is not released on close: it is no longer ours.
 */
public final class HubLease implements AutoCloseable {
    /** Why a lease was lost: the hub's detail, and its problem when it answered. */
    public record Lost(String resource, long token, String reason, HubProblem problem) {}

    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private final Leases leases;
    private final Duration ttl;
    private final Duration interval;
    private final CompletableFuture<Lost> lost = new CompletableFuture<>();
    private final Thread renewer;
    private volatile Leases.Lease current;
    private volatile long deadlineNanos;
    private volatile boolean closed;

    /**
     * @param sentNanos when the acquire was sent ({@link System#nanoTime()}): the lease counts as held until then plus
     *     the TTL, never longer, because the hub cannot have started it before the request left
     */
    HubLease(Leases leases, Leases.Lease granted, Duration ttl, double fraction, long sentNanos) {
        this.leases = leases;
        this.current = granted;
        Duration effective = ttl != null ? ttl : Duration.between(granted.acquiredAt(), granted.expiresAt());
        this.ttl = effective;
        Duration every = Duration.ofMillis((long) (effective.toMillis() * fraction));
        this.interval = every.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : every;
        this.deadlineNanos = sentNanos + effective.toNanos();
        this.renewer =
                Thread.ofVirtual().name("hub-lease-" + granted.resource()).start(this::renewWhileHeld);
    }

    public String resource() {
        return current.resource();
    }

    /** The fencing token; pass it to whatever the lease protects. */
    public long token() {
        return current.token();
    }

    /** When the last grant or renewal runs out, by the hub's clock. */
    public Instant expiresAt() {
        return current.expiresAt();
    }

    /** The latest grant as the hub returned it. */
    public Leases.Lease lease() {
        return current;
    }

    public boolean isLost() {
        return lost.isDone();
    }

    /** Completes once, with the reason, when the lease is lost; never completes for a lease closed while held. */
    public CompletableFuture<Lost> lost() {
        return lost;
    }

    /** Runs {@code callback} (on the renewer's thread) when the lease is lost. */
    public HubLease onLost(Consumer<Lost> callback) {
        lost.thenAccept(callback);
        return this;
    }

    private void renewWhileHeld() {
        Duration wait = interval;
        while (!closed) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            Leases.Lease held = current;
            try {
                long sent = System.nanoTime();
                current = leases.renew(held.resource(), held.token(), ttl);
                deadlineNanos = sent + ttl.toNanos();
                wait = interval;
            } catch (HubProblem.Conflict
                    | HubProblem.NotFound
                    | HubProblem.Forbidden
                    | HubProblem.Unauthenticated
                    | HubProblem.BadRequest p) {
                if (!closed) {
                    lost.complete(new Lost(held.resource(), held.token(), p.detail(), p));
                }
                return;
            } catch (HubProblem p) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    return;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    lost.complete(new Lost(
                            held.resource(),
                            held.token(),
                            "The lease ran out at " + held.expiresAt() + " while no renewal got through: " + p.detail(),
                            p));
                    return;
                }
                // Try again soon, but well before the TTL runs out.
                wait = Duration.ofNanos(Math.max(MIN_INTERVAL.toNanos(), Math.min(interval.toNanos(), left / 3)));
            }
        }
    }

    /**
     * Stops renewing and releases the lease with its token, unless it was lost. A release the hub refuses because the
     * grant is already over is not an error.
     *
     * @throws HubProblem when the release could not be made (the hub unreachable): the lease then runs out at
     *     {@link #expiresAt()}
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        renewer.interrupt();
        try {
            renewer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lost.isDone()) {
            return;
        }
        Leases.Lease held = current;
        try {
            leases.release(held.resource(), held.token());
        } catch (HubProblem.Conflict | HubProblem.NotFound e) {
            // The grant already ended (expired, force-released): nothing left to release.
        }
    }
}
