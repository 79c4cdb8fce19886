package io.agenthub.server.ops;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseOutcome;
import io.agenthub.lease.LeaseStore;
import io.agenthub.ops.Counters;
import io.agenthub.trace.TraceService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A {@link LeaseStore} that counts grants and conflicts (the status table's coordination conflicts and the metrics) and
 * records each change in the holder's trail. Every call goes to the real store unchanged.
 */
public final class ObservedLeaseStore implements LeaseStore {
    private final LeaseStore delegate;
    private final Counters counters;
    private final HubMetrics metrics;
    private final TraceService traces;

    public ObservedLeaseStore(LeaseStore delegate, Counters counters, HubMetrics metrics, TraceService traces) {
        this.delegate = delegate;
        this.counters = counters;
        this.metrics = metrics;
        this.traces = traces;
    }

    @Override
    public Acquisition tryAcquire(String resource, String holder, Duration ttl, String note, Instant now, int maxHeld) {
        Acquisition a = delegate.tryAcquire(resource, holder, ttl, note, now, maxHeld);
        switch (a) {
            case Acquisition.Granted g -> {
                counters.increment(Counters.LEASE_GRANTS);
                metrics.leaseAcquisition(g.renewed() ? "extended" : "granted");
                traces.record(
                        holder,
                        "lease",
                        "acquire",
                        resource,
                        (g.renewed() ? "extended" : "granted") + " token "
                                + g.lease().token(),
                        0);
            }
            case Acquisition.Refused r -> {
                counters.increment(Counters.LEASE_CONFLICTS);
                metrics.leaseAcquisition("refused");
                traces.record(
                        holder,
                        "lease",
                        "acquire",
                        resource,
                        "refused: held by " + r.blockers().getFirst().holder(),
                        0);
            }
            case Acquisition.LimitReached l -> {
                metrics.leaseAcquisition("limit");
                traces.record(holder, "lease", "acquire", resource, "refused: holds " + l.held() + " leases", 0);
            }
        }
        return a;
    }

    @Override
    public LeaseOutcome renew(String resource, String holder, long token, Duration ttl, Instant now) {
        LeaseOutcome o = delegate.renew(resource, holder, token, ttl, now);
        traces.record(holder, "lease", "renew", resource, o.applied() ? "renewed token " + token : "refused", 0);
        return o;
    }

    @Override
    public LeaseOutcome release(String resource, String holder, long token, Instant now) {
        LeaseOutcome o = delegate.release(resource, holder, token, now);
        if (o.applied()) {
            metrics.leaseRelease("released");
        }
        traces.record(holder, "lease", "release", resource, o.applied() ? "released token " + token : "refused", 0);
        return o;
    }

    @Override
    public Optional<Lease> forceRelease(String resource, Instant now) {
        Optional<Lease> ended = delegate.forceRelease(resource, now);
        ended.ifPresent(l -> {
            metrics.leaseRelease("forced");
            traces.record(l.holder(), "lease", "force-release", resource, "released by an admin", 0);
        });
        return ended;
    }

    @Override
    public List<Lease> active(Instant now) {
        return delegate.active(now);
    }

    @Override
    public List<Lease> heldBy(String holder, Instant now) {
        return delegate.heldBy(holder, now);
    }

    @Override
    public List<Lease> overlapping(String resource, Instant now) {
        return delegate.overlapping(resource, now);
    }

    @Override
    public int purgeEndedBefore(Instant before) {
        return delegate.purgeEndedBefore(before);
    }
}
