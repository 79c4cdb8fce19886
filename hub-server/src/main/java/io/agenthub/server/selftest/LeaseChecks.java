package io.agenthub.server.selftest;

import static io.agenthub.server.selftest.Check.equal;
import static io.agenthub.server.selftest.Check.of;
import static io.agenthub.server.selftest.Check.refused;
import static io.agenthub.server.selftest.Check.require;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Claims, locks and zones: acquire, conflicts, renew, release, expiry, zones, fencing, races. */
final class LeaseChecks {
    private LeaseChecks() {}

    static List<Check> all() {
        return List.of(
                of("lease-acquire", "leases", "a free resource is granted with a fencing token and expiry", s -> {
                    Principal a = s.agent("a1");
                    LeaseService.Grant g = s.hub.leases.acquire(a, "src/a.java", 600L, "editing");
                    require(g.created(), "a new grant");
                    require(g.lease().token() > 0, "a positive fencing token");
                    equal(g.lease().expiresAt(), s.clock.instant().plusSeconds(600), "the expiry");
                    equal(s.hub.leases.heldBy("a1").size(), 1, "leases held by a1");
                    return "granted token " + g.lease().token() + " until "
                            + g.lease().expiresAt();
                }),
                of("lease-conflict", "leases", "a held resource is refused to others, naming the holder", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.hub.leases.acquire(a, "src/a.java", 600L, "");
                    HubException.Conflict c = refused(
                            HubException.Conflict.class,
                            () -> s.hub.leases.acquire(b, "src/a.java", 600L, ""),
                            "a second holder");
                    equal(c.code(), "lease_held", "the problem code");
                    equal(c.details().get("holder"), "a1", "the holder named");
                    return "b1 refused: " + c.getMessage();
                }),
                of("lease-reacquire-extends", "leases", "the holder acquiring again extends, same token", s -> {
                    Principal a = s.agent("a1");
                    Lease first = s.hub.leases.acquire(a, "r", 60L, "").lease();
                    s.advance(Duration.ofSeconds(30));
                    LeaseService.Grant again = s.hub.leases.acquire(a, "r", 600L, "");
                    require(!again.created(), "an extension, not a new grant");
                    equal(again.lease().token(), first.token(), "the token");
                    equal(again.lease().expiresAt(), s.clock.instant().plusSeconds(600), "the new expiry");
                    return "extended with the same token " + first.token();
                }),
                of("lease-renew", "leases", "renewing with the token extends the lease", s -> {
                    Principal a = s.agent("a1");
                    Lease l = s.hub.leases.acquire(a, "r", 60L, "").lease();
                    s.advance(Duration.ofSeconds(50));
                    Lease renewed = s.hub.leases.renew(a, "r", l.token(), 120L);
                    equal(renewed.expiresAt(), s.clock.instant().plusSeconds(120), "the renewed expiry");
                    return "renewed until " + renewed.expiresAt();
                }),
                of("lease-release", "leases", "a released resource is free for others", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Lease l = s.hub.leases.acquire(a, "r", 600L, "").lease();
                    s.hub.leases.release(a, "r", l.token());
                    require(s.hub.leases.acquire(b, "r", 60L, "").created(), "b1 to get it");
                    return "released by a1, granted to b1";
                }),
                of("lease-release-wrong-token", "leases", "a release with a stale token is refused", s -> {
                    Principal a = s.agent("a1");
                    Lease l = s.hub.leases.acquire(a, "r", 600L, "").lease();
                    HubException.Conflict c = refused(
                            HubException.Conflict.class,
                            () -> s.hub.leases.release(a, "r", l.token() + 1000),
                            "a release with the wrong token");
                    equal(c.code(), "not_holder", "the problem code");
                    equal(s.hub.leases.active().size(), 1, "active leases");
                    return "refused: " + c.getMessage();
                }),
                of("lease-release-not-owner", "leases", "nobody releases another agent's lease", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Lease l = s.hub.leases.acquire(a, "r", 600L, "").lease();
                    refused(
                            HubException.Forbidden.class,
                            () -> s.hub.leases.release(b, "r", l.token()),
                            "b1 releasing a1's lease");
                    return "b1 refused with 403";
                }),
                of("lease-expiry", "leases", "an expired lease frees itself; its token is void", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    Lease old = s.hub.leases.acquire(a, "r", 60L, "").lease();
                    s.advance(Duration.ofSeconds(61));
                    Lease next = s.hub.leases.acquire(b, "r", 60L, "").lease();
                    require(next.token() > old.token(), "a larger fencing token");
                    refused(
                            HubException.Conflict.class,
                            () -> s.hub.leases.release(a, "r", old.token()),
                            "releasing with the expired grant's token");
                    return "expired after 60 s; b1 got token " + next.token() + " > " + old.token();
                }),
                of("lease-zone", "leases", "a zone covers the files below it, both ways", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.hub.leases.acquire(a, "src/auth/", 600L, "");
                    refused(
                            HubException.Conflict.class,
                            () -> s.hub.leases.acquire(b, "src/auth/login.ts", 60L, ""),
                            "a file inside a1's zone");
                    s.hub.leases.acquire(b, "docs/readme.md", 60L, "");
                    refused(
                            HubException.Conflict.class,
                            () -> s.hub.leases.acquire(a, "docs/", 60L, ""),
                            "a zone over b1's file");
                    return "zone src/auth/ blocks src/auth/login.ts; docs/readme.md blocks zone docs/";
                }),
                of("lease-check", "leases", "checking reports conflicts and changes nothing", s -> {
                    Principal a = s.agent("a1");
                    Principal b = s.agent("b1");
                    s.hub.leases.acquire(a, "src/x.java", 600L, "");
                    Map<String, List<Lease>> c = s.hub.leases.check(b, List.of("src/x.java", "src/y.java"));
                    equal(c.get("src/x.java").size(), 1, "conflicts on src/x.java");
                    equal(c.get("src/y.java").size(), 0, "conflicts on src/y.java");
                    equal(s.hub.leases.active().size(), 1, "active leases after the check");
                    return "one conflict reported, nothing acquired";
                }),
                of("lease-force-release", "leases", "an admin ends any lease, recorded with the reason", s -> {
                    Principal a = s.agent("a1");
                    s.hub.leases.acquire(a, "stuck", 600L, "");
                    Lease ended = s.hub.leases.forceRelease(s.admin, "stuck", "agent crashed");
                    equal(ended.holder(), "a1", "the released holder");
                    require(s.hub.leases.active().isEmpty(), "nothing active");
                    require(
                            AgentChecks.audit(s).stream()
                                    .anyMatch(e -> e.action().equals("lease.force-release")),
                            "an audit entry");
                    return "force-released a1's lease; audited";
                }),
                of("lease-fencing-monotonic", "leases", "every grant's token is larger than all before", s -> {
                    Principal a = s.agent("a1");
                    long last = 0;
                    for (int i = 0; i < 10; i++) {
                        Lease l =
                                s.hub.leases.acquire(a, "f" + (i % 3), 60L, "").lease();
                        s.hub.leases.release(a, l.resource(), l.token());
                        require(l.token() > last, "token " + l.token() + " > " + last);
                        last = l.token();
                    }
                    return "10 grants with strictly increasing tokens up to " + last;
                }),
                of("lease-race", "leases", "of 16 agents racing for one resource exactly one wins", s -> {
                    List<Principal> agents = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        agents.add(s.agent("racer-" + i));
                    }
                    ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
                    CountDownLatch start = new CountDownLatch(1);
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        List<Future<?>> futures = new ArrayList<>();
                        for (Principal p : agents) {
                            futures.add(pool.submit(() -> {
                                start.await();
                                try {
                                    s.hub.leases.acquire(p, "race/target", 60L, "");
                                    winners.add(p.id());
                                } catch (HubException.Conflict e) {
                                    // lost the race
                                }
                                return null;
                            }));
                        }
                        start.countDown();
                        for (Future<?> f : futures) {
                            f.get();
                        }
                    }
                    equal(winners.size(), 1, "winners");
                    return "one winner: " + winners.peek();
                }));
    }
}
