package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseOutcome;
import io.agenthub.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The lease contract: atomic acquire, owned renew and release, zones, expiry by the passed-in clock, fencing. */
public abstract class LeaseStoreContract extends StoresContract {
    private static final Duration TTL = Duration.ofSeconds(30);

    private LeaseStore leases() {
        return stores.leases();
    }

    private static Lease granted(Acquisition a) {
        assertThat(a).isInstanceOf(Acquisition.Granted.class);
        return ((Acquisition.Granted) a).lease();
    }

    private Lease grant(String resource, String holder) {
        Acquisition a = leases().tryAcquire(resource, holder, TTL, "", clock.instant());
        assertThat(a).as("acquire %s by %s", resource, holder).isInstanceOf(Acquisition.Granted.class);
        return ((Acquisition.Granted) a).lease();
    }

    @Test
    void free_resource_is_granted_with_a_positive_token_and_the_requested_expiry() {
        Acquisition a = leases().tryAcquire("src/a.java", "alice", TTL, "editing", clock.instant());
        assertThat(a).isInstanceOf(Acquisition.Granted.class);
        Acquisition.Granted g = (Acquisition.Granted) a;
        assertThat(g.renewed()).isFalse();
        assertThat(g.lease().holder()).isEqualTo("alice");
        assertThat(g.lease().token()).isPositive();
        assertThat(g.lease().note()).isEqualTo("editing");
        assertThat(g.lease().acquiredAt()).isEqualTo(clock.instant());
        assertThat(g.lease().expiresAt()).isEqualTo(clock.instant().plus(TTL));
    }

    @Test
    void second_holder_is_refused_until_expiry() {
        Lease first = grant("task:42", "alice");
        Acquisition refused = leases().tryAcquire("task:42", "bob", TTL, "", clock.instant());
        assertThat(refused).isInstanceOf(Acquisition.Refused.class);
        assertThat(((Acquisition.Refused) refused).blockers()).containsExactly(first);

        clock.advance(TTL.minusMillis(1));
        assertThat(leases().tryAcquire("task:42", "bob", TTL, "", clock.instant()))
                .isInstanceOf(Acquisition.Refused.class);

        clock.advance(Duration.ofMillis(1));
        Lease second = grant("task:42", "bob");
        assertThat(second.token()).isGreaterThan(first.token());
    }

    @Test
    void old_token_cannot_release_or_renew_after_expiry_and_regrant() {
        Lease first = grant("branch:main", "alice");
        clock.advance(TTL.plusSeconds(1));
        Lease second = grant("branch:main", "bob");

        LeaseOutcome release = leases().release("branch:main", "alice", first.token(), clock.instant());
        assertThat(release.applied()).isFalse();
        assertThat(release.latest()).isEqualTo(second);
        assertThat(leases().renew("branch:main", "alice", first.token(), TTL, clock.instant())
                        .applied())
                .isFalse();
        assertThat(leases().active(clock.instant())).containsExactly(second);
    }

    @Test
    void expired_lease_cannot_be_renewed_and_reports_its_expiry() {
        Lease first = grant("file.txt", "alice");
        clock.advance(TTL);
        LeaseOutcome renew = leases().renew("file.txt", "alice", first.token(), TTL, clock.instant());
        assertThat(renew.applied()).isFalse();
        assertThat(renew.latest().expiresAt()).isEqualTo(first.expiresAt());
        assertThat(renew.releasedAt()).isNull();
        assertThat(leases().active(clock.instant())).isEmpty();
    }

    @Test
    void renew_and_release_check_both_holder_and_token() {
        Lease lease = grant("file.txt", "alice");
        assertThat(leases().renew("file.txt", "bob", lease.token(), TTL, clock.instant())
                        .applied())
                .isFalse();
        assertThat(leases().release("file.txt", "bob", lease.token(), clock.instant())
                        .applied())
                .isFalse();
        assertThat(leases().release("file.txt", "alice", lease.token() + 1, clock.instant())
                        .applied())
                .isFalse();

        clock.advance(Duration.ofSeconds(10));
        LeaseOutcome renewed = leases().renew("file.txt", "alice", lease.token(), TTL, clock.instant());
        assertThat(renewed.applied()).isTrue();
        assertThat(renewed.latest().token()).isEqualTo(lease.token());
        assertThat(renewed.latest().expiresAt()).isEqualTo(clock.instant().plus(TTL));

        LeaseOutcome released = leases().release("file.txt", "alice", lease.token(), clock.instant());
        assertThat(released.applied()).isTrue();
        assertThat(leases().active(clock.instant())).isEmpty();

        LeaseOutcome again = leases().release("file.txt", "alice", lease.token(), clock.instant());
        assertThat(again.applied()).isFalse();
        assertThat(again.releasedAt()).isEqualTo(clock.instant());
        grant("file.txt", "bob");
    }

    @Test
    void same_holder_acquiring_again_extends_the_grant_and_keeps_its_token() {
        Lease first = grant("doc.md", "alice");
        clock.advance(Duration.ofSeconds(10));
        Acquisition again = leases().tryAcquire("doc.md", "alice", TTL, "", clock.instant());
        assertThat(again).isInstanceOf(Acquisition.Granted.class);
        Acquisition.Granted g = (Acquisition.Granted) again;
        assertThat(g.renewed()).isTrue();
        assertThat(g.lease().token()).isEqualTo(first.token());
        assertThat(g.lease().expiresAt()).isEqualTo(clock.instant().plus(TTL));
    }

    @Test
    void zone_conflicts_with_leases_under_it_and_a_lease_conflicts_with_a_zone_above_it() {
        Lease file = grant("src/api/routes.java", "alice");
        Acquisition zone = leases().tryAcquire("src/api/", "bob", TTL, "", clock.instant());
        assertThat(zone).isInstanceOf(Acquisition.Refused.class);
        assertThat(((Acquisition.Refused) zone).blockers()).containsExactly(file);
        assertThat(leases().tryAcquire("src/", "bob", TTL, "", clock.instant()))
                .isInstanceOf(Acquisition.Refused.class);
        // Names that merely share a prefix without the separator do not overlap.
        grant("src/apiary/x.java", "bob");
        grant("src/ap", "bob");

        Lease web = grant("web/", "carol");
        Acquisition inside = leases().tryAcquire("web/index.html", "bob", TTL, "", clock.instant());
        assertThat(((Acquisition.Refused) inside).blockers()).containsExactly(web);
        assertThat(leases().tryAcquire("web/deep/er/file", "bob", TTL, "", clock.instant()))
                .isInstanceOf(Acquisition.Refused.class);
        // The zone's own holder may lease inside it.
        grant("web/index.html", "carol");
        grant("webapp/x", "bob");

        assertThat(leases().overlapping("src/", clock.instant()))
                .extracting(Lease::resource)
                .containsExactly("src/ap", "src/api/routes.java", "src/apiary/x.java")
                .doesNotContain("src/");
    }

    @Test
    void a_holder_at_its_limit_gets_no_new_grant_but_may_extend_and_may_acquire_again_after_a_release() {
        Instant now = clock.instant();
        Lease first = granted(leases().tryAcquire("lim/a", "alice", TTL, "", now, 2));
        granted(leases().tryAcquire("lim/b", "alice", TTL, "", now, 2));
        assertThat(leases().tryAcquire("lim/c", "alice", TTL, "", now, 2)).isEqualTo(new Acquisition.LimitReached(2));
        assertThat(leases().overlapping("lim/c", now)).isEmpty();
        assertThat(leases().tryAcquire("lim/a", "alice", TTL, "again", now, 2))
                .isInstanceOfSatisfying(
                        Acquisition.Granted.class, g -> assertThat(g.renewed()).isTrue());
        assertThat(leases().tryAcquire("lim/c", "bob", TTL, "", now, 2)).isInstanceOf(Acquisition.Granted.class);
        assertThat(leases().release("lim/a", "alice", first.token(), now).applied())
                .isTrue();
        assertThat(leases().tryAcquire("lim/d", "alice", TTL, "", now, 2)).isInstanceOf(Acquisition.Granted.class);
        clock.advance(TTL.plusSeconds(1));
        assertThat(leases().tryAcquire("lim/e", "alice", TTL, "", clock.instant(), 2))
                .as("expired leases no longer count")
                .isInstanceOf(Acquisition.Granted.class);
    }

    @Test
    void concurrent_acquires_by_one_holder_never_exceed_its_limit() throws Exception {
        int limit = 5;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Lease> granted = new ConcurrentLinkedQueue<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String resource = "burst/" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    if (leases().tryAcquire(resource, "greedy", TTL, "", clock.instant(), limit)
                            instanceof Acquisition.Granted g) {
                        granted.add(g.lease());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(granted).hasSize(limit);
            assertThat(leases().heldBy("greedy", clock.instant())).hasSize(limit);
        }
    }

    @Test
    void exactly_one_of_32_concurrent_acquirers_wins_every_round() throws Exception {
        int rounds = 40;
        int contenders = 32;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < rounds; round++) {
                String resource = "race/" + round;
                CountDownLatch start = new CountDownLatch(1);
                ConcurrentLinkedQueue<Lease> winners = new ConcurrentLinkedQueue<>();
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    String holder = "agent-" + i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        if (leases().tryAcquire(resource, holder, TTL, "", clock.instant())
                                instanceof Acquisition.Granted g) {
                            winners.add(g.lease());
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
                assertThat(winners).as("winners of round %d", round).hasSize(1);
                assertThat(leases().active(clock.instant()))
                        .filteredOn(l -> l.resource().equals(resource))
                        .containsExactlyElementsOf(winners);
            }
        }
    }

    @Test
    void concurrent_zone_and_file_acquirers_never_both_win() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 30; round++) {
                String zone = "z" + round + "/";
                CountDownLatch start = new CountDownLatch(1);
                ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String resource = i % 2 == 0 ? zone : zone + "file" + i;
                    String holder = "agent-" + i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        if (leases().tryAcquire(resource, holder, TTL, "", clock.instant())
                                instanceof Acquisition.Granted) {
                            winners.add(resource);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
                if (winners.contains(zone)) {
                    assertThat(winners)
                            .as("a zone winner excludes everyone else")
                            .containsExactly(zone);
                } else {
                    assertThat(winners).as("files under the zone are distinct").hasSize(8);
                }
            }
        }
    }

    @Test
    void fencing_tokens_strictly_increase_across_expiry_release_and_restart() throws Exception {
        List<Long> tokens = new ArrayList<>();
        Lease a = grant("r", "alice");
        tokens.add(a.token());
        leases().release("r", "alice", a.token(), clock.instant());
        tokens.add(grant("r", "bob").token());
        clock.advance(TTL);
        tokens.add(grant("r", "carol").token());
        tokens.add(grant("other", "carol").token());

        restart();
        clock.advance(TTL);
        tokens.add(grant("r", "dave").token());
        clock.advance(TTL);
        leases().purgeEndedBefore(clock.instant().plusSeconds(1));
        tokens.add(grant("r", "erin").token());

        for (int i = 1; i < tokens.size(); i++) {
            assertThat(tokens.get(i)).as("token %d after %s", i, tokens).isGreaterThan(tokens.get(i - 1));
        }
    }

    @Test
    void active_leases_survive_a_restart() throws Exception {
        Lease lease = grant("keep/me", "alice");
        restart();
        assertThat(leases().active(clock.instant())).containsExactly(lease);
        assertThat(leases().heldBy("alice", clock.instant())).containsExactly(lease);
    }

    @Test
    void force_release_ends_any_holders_lease() {
        Lease lease = grant("stuck", "alice");
        assertThat(leases().forceRelease("stuck", clock.instant())).contains(lease);
        assertThat(leases().forceRelease("stuck", clock.instant())).isEmpty();
        assertThat(leases().release("stuck", "alice", lease.token(), clock.instant())
                        .applied())
                .isFalse();
        grant("stuck", "bob");
    }

    @Test
    void held_by_lists_only_active_leases_of_that_holder() {
        grant("a", "alice");
        grant("b", "alice");
        grant("c", "bob");
        Lease shortOne = ((Acquisition.Granted)
                        leases().tryAcquire("d", "alice", Duration.ofSeconds(1), "", clock.instant()))
                .lease();
        assertThat(leases().heldBy("alice", clock.instant()))
                .extracting(Lease::resource)
                .containsExactly("a", "b", "d");
        clock.advance(Duration.ofSeconds(1));
        assertThat(leases().heldBy("alice", clock.instant()))
                .extracting(Lease::resource)
                .containsExactly("a", "b");
        assertThat(shortOne.activeAt(clock.instant())).isFalse();
    }

    @Test
    void a_grant_after_a_release_or_a_purge_is_whole_and_found_under_its_zone() {
        Lease first = grant("src/x.java", "alice");
        leases().release("src/x.java", "alice", first.token(), clock.instant());
        Lease second = grant("src/x.java", "bob");
        assertThat(leases().active(clock.instant())).containsExactly(second);
        assertThat(leases().heldBy("alice", clock.instant())).isEmpty();
        assertThat(leases().heldBy("bob", clock.instant())).containsExactly(second);
        Acquisition zone = leases().tryAcquire("src/", "carol", TTL, "", clock.instant());
        assertThat(((Acquisition.Refused) zone).blockers()).containsExactly(second);
        assertThat(leases().release("src/x.java", "bob", second.token(), clock.instant())
                        .applied())
                .isTrue();
        Lease third = grant("src/x.java", "bob");
        assertThat(leases().release("src/x.java", "bob", third.token(), clock.instant())
                        .applied())
                .isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(leases().purgeEndedBefore(clock.instant())).isEqualTo(1);
        Lease fourth = grant("src/x.java", "carol");
        assertThat(fourth.token()).isGreaterThan(third.token());
        Acquisition again = leases().tryAcquire("src/", "dave", TTL, "", clock.instant());
        assertThat(((Acquisition.Refused) again).blockers()).containsExactly(fourth);
    }

    @Test
    void purge_forgets_only_grants_that_ended_before_the_cutoff() {
        Lease a = grant("a", "alice");
        grant("b", "alice");
        leases().release("a", "alice", a.token(), clock.instant());
        clock.advance(Duration.ofSeconds(5));
        assertThat(leases().purgeEndedBefore(clock.instant())).isEqualTo(1);
        assertThat(leases().release("a", "alice", a.token(), clock.instant()).latest())
                .isNull();
        assertThat(leases().active(clock.instant())).extracting(Lease::resource).containsExactly("b");
    }
}
