package io.agenthub.server.http;

import io.agenthub.error.HubException;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import io.agenthub.tier.Work;
import java.util.List;
import java.util.Map;

/** {@code /api/leases}: claims, locks and zones. */
public final class LeaseRoutes {
    private final LeaseService leases;

    record AcquireBody(String resource, Long ttlSeconds, String note) {}

    record TokenBody(String resource, Long token, Long ttlSeconds) {}

    record ForceBody(String resource, String reason) {}

    /**
     * Acquisitions carry the slow-down headers while the fleet is throttled, from the grant's admission (the budget is
     * read once per acquire).
     */
    public LeaseRoutes(LeaseService leases) {
        this.leases = leases;
    }

    public void register(Router r) {
        r.post("/api/leases", Access.WRITE, Work.NEW_WORK, this::acquire);
        r.post("/api/leases/renew", Access.WRITE, call -> {
            TokenBody b = call.body(TokenBody.class);
            return Reply.ok(leases.renew(call.principal(), b.resource(), token(b), b.ttlSeconds()));
        });
        r.post("/api/leases/release", Access.WRITE, Work.UPKEEP, call -> {
            TokenBody b = call.body(TokenBody.class);
            Lease ended = leases.release(call.principal(), b.resource(), token(b));
            return Reply.ok(Map.of("released", true, "lease", ended));
        });
        r.post("/api/leases/force-release", Access.ADMIN, call -> {
            ForceBody b = call.body(ForceBody.class);
            Lease ended = leases.forceRelease(call.principal(), b.resource(), b.reason());
            return Reply.ok(Map.of("released", true, "lease", ended));
        });
        r.get("/api/leases", Access.READ, call -> {
            String holder = call.query("holder");
            List<Lease> list = holder == null ? leases.active() : leases.heldBy(holder);
            return Reply.ok(Map.of("leases", list));
        });
        r.get("/api/leases/check", Access.READ, call -> {
            Map<String, List<Lease>> conflicts = leases.check(call.principal(), call.queryAll("resource"));
            boolean free = conflicts.values().stream().allMatch(List::isEmpty);
            return Reply.ok(Map.of("free", free, "conflicts", conflicts));
        });
    }

    private Reply acquire(Call call) {
        AcquireBody b = call.body(AcquireBody.class);
        LeaseService.Grant grant = leases.acquire(call.principal(), b.resource(), b.ttlSeconds(), b.note());
        Reply reply = grant.created() ? Reply.created(grant.lease()) : Reply.ok(grant.lease());
        return Directives.with(reply, Directives.forAdmission(grant.admission()));
    }

    private static long token(TokenBody b) {
        if (b.token() == null) {
            throw new HubException.InvalidRequest("token is required: the fencing token you got when acquiring.");
        }
        return b.token();
    }
}
