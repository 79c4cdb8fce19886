package io.agenthub.server.ops;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseEvents;
import io.agenthub.lease.LeaseOutcome;
import io.agenthub.ops.Counters;
import io.agenthub.trace.TraceService;

/**
 * The operations side of lease events: counts grants and conflicts (the status table's coordination conflicts and the
 * metrics) and records each change in the holder's trail. Leases moved by an accepted handoff arrive as grants.
 */
public final class LeaseObservations implements LeaseEvents {
    private final Counters counters;
    private final HubMetrics metrics;
    private final TraceService traces;

    public LeaseObservations(Counters counters, HubMetrics metrics, TraceService traces) {
        this.counters = counters;
        this.metrics = metrics;
        this.traces = traces;
    }

    @Override
    public void acquired(String holder, String resource, Acquisition outcome) {
        switch (outcome) {
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
    }

    @Override
    public void renewed(String holder, String resource, long token, LeaseOutcome outcome) {
        traces.record(holder, "lease", "renew", resource, outcome.applied() ? "renewed token " + token : "refused", 0);
    }

    @Override
    public void released(String holder, String resource, long token, LeaseOutcome outcome) {
        if (outcome.applied()) {
            metrics.leaseRelease("released");
        }
        traces.record(
                holder, "lease", "release", resource, outcome.applied() ? "released token " + token : "refused", 0);
    }

    @Override
    public void forceReleased(Lease ended) {
        metrics.leaseRelease("forced");
        traces.record(ended.holder(), "lease", "force-release", ended.resource(), "released by an admin", 0);
    }
}
