package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;
import static io.agenthub.server.selftest.OpsTraffic.reporters;
import static io.agenthub.server.selftest.OpsTraffic.traffic;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.Work;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Degradation tiers: admin changes, what each tier admits, the automatic tier rules. */
final class TierChecks {
    private TierChecks() {}

    static List<Check> all() {
        return List.of(
                of("tier-set-announce", "tiers", "an admin's tier change is recorded, audited and announced", s -> {
                    TierChange t = s.hub.tiers.set(s.admin, 2, "incident 7", null, Map.of());
                    equal(s.hub.tiers.current().tier(), Tier.REDUCED, "the tier in force");
                    equal(t.actor(), s.admin.id(), "who set it");
                    require(
                            AgentChecks.notices(s).stream()
                                    .anyMatch(m -> m.text().startsWith("Tier 2 (reduced)")),
                            "an announcement");
                    require(
                            AgentChecks.audit(s).stream()
                                    .anyMatch(e -> e.action().equals("tier.set")),
                            "audit");
                    equal(s.hub.tiers.history(10).size(), 1, "history entries");
                    return "tier 2 recorded, audited and announced";
                }),
                of("tier-reduced-core-only", "tiers", "in tier 2 only core agents take new work", s -> {
                    Principal core = s.agent("core-1", Map.of("core", "true"));
                    Principal other = s.agent("other-1");
                    s.hub.tiers.set(s.admin, 2, "load", null, Map.of());
                    s.hub.tiers.admit(core, Work.NEW_WORK);
                    s.hub.tiers.admit(other, Work.WRITE);
                    HubException.Unavailable u = refused(
                            HubException.Unavailable.class,
                            () -> s.hub.tiers.admit(other, Work.NEW_WORK),
                            "new work by a non-core agent");
                    equal(u.code(), "tier_restricted", "the problem code");
                    require(u.retryAfter().toSeconds() > 0, "a Retry-After");
                    return "core-1 admitted, other-1 refused with Retry-After "
                            + u.retryAfter().toSeconds() + " s";
                }),
                of("tier-minimal-designated", "tiers", "in tier 3 only the designated agent takes new work", s -> {
                    Principal solo = s.agent("solo");
                    Principal other = s.agent("other-1");
                    s.hub.tiers.set(s.admin, 3, "single-agent mode", "solo", Map.of());
                    s.hub.tiers.admit(solo, Work.NEW_WORK);
                    refused(
                            HubException.Unavailable.class,
                            () -> s.hub.tiers.admit(other, Work.NEW_WORK),
                            "new work by another agent");
                    return "solo admitted, other-1 refused";
                }),
                of("tier-maintenance-read-only", "tiers", "in tier 4 reads and upkeep pass, writes do not", s -> {
                    Principal a = s.agent("a1");
                    s.hub.tiers.set(s.admin, 4, "data inconsistency", null, Map.of());
                    s.hub.tiers.admit(a, Work.READ);
                    s.hub.tiers.admit(a, Work.UPKEEP);
                    s.hub.tiers.admit(s.admin, Work.WRITE);
                    refused(HubException.Unavailable.class, () -> s.hub.tiers.admit(a, Work.WRITE), "a write");
                    refused(HubException.Unavailable.class, () -> s.hub.tiers.admit(a, Work.NEW_WORK), "new work");
                    return "read and upkeep admitted; write and new work refused; admin admitted";
                }),
                of("tier-automatic", "tiers", "an error storm degrades the hub to tier 2 and back", s -> {
                    List<Principal> a = reporters(s, 5);
                    traffic(s, a, 10, 5);
                    s.ops.evaluate();
                    s.advance(Duration.ofMinutes(3));
                    traffic(s, a, 10, 5);
                    s.ops.evaluate();
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier while the storm is pending");
                    s.advance(Duration.ofMinutes(2).plusSeconds(1));
                    traffic(s, a, 10, 5);
                    s.ops.evaluate();
                    TierChange raised = s.hub.tiers.current();
                    equal(raised.tier(), Tier.REDUCED, "the tier after 5 min of storm");
                    equal(raised.actor(), "rule:ErrorStorm", "who raised it");
                    s.advance(Duration.ofMinutes(10));
                    s.ops.evaluate();
                    equal(s.hub.tiers.current().tier(), Tier.FULL, "the tier after the storm");
                    return "tier 2 after 5 min at 50% errors; back to tier 1 when it passed";
                }));
    }
}
