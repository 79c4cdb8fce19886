package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.handoff.Acceptance;
import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.handoff.HandoffStore;
import io.agenthub.handoff.NewHandoff;
import io.agenthub.handoff.Target;
import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The handoff contract: ids, dedupe keys, exactly one winner per accept, leases moved with new fencing tokens in the
 * same operation, and state changes as compare-and-set.
 */
public abstract class HandoffStoreContract extends StoresContract {
    private static final Duration PENDING = Duration.ofMinutes(30);
    private static final Duration LEASE_TTL = Duration.ofMinutes(10);

    private HandoffStore handoffs() {
        return stores.handoffs();
    }

    private LeaseStore leases() {
        return stores.leases();
    }

    private NewHandoff offer(String from, Target to, List<String> leases, String dedupeKey) {
        return new NewHandoff(
                Handoff.Kind.MANUAL,
                from,
                to,
                Target.pool("web"),
                "finish the parser",
                "tests are red",
                List.of("fix the tokenizer"),
                List.of("src/parser.ts"),
                leases,
                3,
                clock.instant(),
                clock.instant().plus(PENDING),
                dedupeKey);
    }

    private Handoff create(String from, Target to, List<String> leases) {
        HandoffStore.Created c = handoffs().create(offer(from, to, leases, ""));
        assertThat(c.created()).isTrue();
        return c.handoff();
    }

    private Lease grant(String resource, String holder, Duration ttl) {
        Acquisition a = leases().tryAcquire(resource, holder, ttl, "note of " + holder, clock.instant());
        assertThat(a).isInstanceOf(Acquisition.Granted.class);
        return ((Acquisition.Granted) a).lease();
    }

    private Acceptance.Accepted accepted(String id, String acceptor) {
        Acceptance a = handoffs().accept(id, acceptor, LEASE_TTL, clock.instant());
        assertThat(a).isInstanceOf(Acceptance.Accepted.class);
        return (Acceptance.Accepted) a;
    }

    @Test
    void create_assigns_growing_ids_and_the_handoff_round_trips() throws Exception {
        Handoff first = create("alice", Target.agent("bob"), List.of("a.txt"));
        Handoff second = create("alice", Target.pool("web"), List.of());
        assertThat(first.id()).isEqualTo("ho-" + Handoff.seqOf(first.id()));
        assertThat(Handoff.seqOf(second.id())).isGreaterThan(Handoff.seqOf(first.id()));
        assertThat(first.status()).isEqualTo(HandoffStatus.PENDING);
        assertThat(first)
                .isEqualTo(offer("alice", Target.agent("bob"), List.of("a.txt"), "")
                        .toHandoff(first.id()));
        restart();
        assertThat(handoffs().find(first.id())).contains(first);
        assertThat(handoffs().find("ho-999999")).isEmpty();
        assertThat(handoffs().find("nonsense")).isEmpty();
        assertThat(handoffs().list(EnumSet.of(HandoffStatus.PENDING), 10)).containsExactly(second, first);
        assertThat(handoffs().list(EnumSet.of(HandoffStatus.ACCEPTED), 10)).isEmpty();
        Handoff third = create("carol", Target.any(), List.of());
        assertThat(Handoff.seqOf(third.id())).isGreaterThan(Handoff.seqOf(second.id()));
    }

    @Test
    void an_open_handoff_with_the_same_dedupe_key_is_returned_instead_of_a_new_one() throws Exception {
        List<HandoffStore.Created> made = Concurrently.run(
                16, i -> () -> handoffs().create(offer("alice", Target.agent("alice"), List.of(), "transfer:alice")));
        assertThat(made).filteredOn(HandoffStore.Created::created).hasSize(1);
        assertThat(made)
                .extracting(c -> c.handoff().id())
                .containsOnly(made.getFirst().handoff().id());

        Handoff open = made.getFirst().handoff();
        accepted(open.id(), "alice");
        assertThat(handoffs()
                        .create(offer("alice", Target.agent("alice"), List.of(), "transfer:alice"))
                        .created())
                .as("an accepted handoff is still open")
                .isFalse();
        handoffs().complete(open.id(), "alice", "done", clock.instant());
        assertThat(handoffs()
                        .create(offer("alice", Target.agent("alice"), List.of(), "transfer:alice"))
                        .created())
                .as("a closed handoff frees its key")
                .isTrue();
    }

    @Test
    void exactly_one_of_32_concurrent_acceptors_wins() throws Exception {
        grant("src/", "alice", Duration.ofMinutes(5));
        Handoff h = create("alice", Target.pool("web"), List.of("src/"));
        List<Acceptance> outcomes =
                Concurrently.run(32, i -> () -> handoffs().accept(h.id(), "agent-" + i, LEASE_TTL, clock.instant()));
        List<Acceptance.Accepted> winners = outcomes.stream()
                .filter(Acceptance.Accepted.class::isInstance)
                .map(Acceptance.Accepted.class::cast)
                .toList();
        assertThat(winners).hasSize(1);
        String winner = winners.getFirst().handoff().acceptedBy();
        assertThat(leases().active(clock.instant())).extracting(Lease::holder).containsExactly(winner);
        assertThat(outcomes)
                .filteredOn(Acceptance.Refused.class::isInstance)
                .allSatisfy(r ->
                        assertThat(((Acceptance.Refused) r).current().status()).isEqualTo(HandoffStatus.ACCEPTED));
    }

    @Test
    void accepting_moves_the_senders_leases_with_new_fencing_tokens() throws Exception {
        Lease file = grant("src/a.ts", "alice", Duration.ofMinutes(5));
        Lease zone = grant("docs/", "alice", Duration.ofHours(1));
        Lease inner = grant("docs/guide.md", "alice", Duration.ofMinutes(5));
        Lease other = grant("unrelated.txt", "carol", Duration.ofMinutes(5));
        Handoff h = create("alice", Target.agent("bob"), List.of("docs/", "src/a.ts", "docs/guide.md"));
        clock.advance(Duration.ofMinutes(1));

        Acceptance.Accepted a = accepted(h.id(), "bob");
        assertThat(a.blocked()).isEmpty();
        assertThat(a.handoff().status()).isEqualTo(HandoffStatus.ACCEPTED);
        assertThat(a.handoff().acceptedBy()).isEqualTo("bob");
        assertThat(a.handoff().acceptedAt()).isEqualTo(clock.instant());
        assertThat(a.moved())
                .extracting(Lease::resource)
                .containsExactlyInAnyOrder("docs/", "src/a.ts", "docs/guide.md");
        assertThat(a.moved()).allSatisfy(l -> {
            assertThat(l.holder()).isEqualTo("bob");
            assertThat(l.token()).isGreaterThan(other.token());
            assertThat(l.acquiredAt()).isEqualTo(clock.instant());
        });
        Lease movedZone = a.moved().stream()
                .filter(l -> l.resource().equals("docs/"))
                .findFirst()
                .orElseThrow();
        assertThat(movedZone.expiresAt()).as("keeps the longer expiry").isEqualTo(zone.expiresAt());
        assertThat(movedZone.note()).isEqualTo(zone.note());
        Lease movedFile = a.moved().stream()
                .filter(l -> l.resource().equals("src/a.ts"))
                .findFirst()
                .orElseThrow();
        assertThat(movedFile.expiresAt()).isEqualTo(clock.instant().plus(LEASE_TTL));
        assertThat(leases().active(clock.instant()))
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(a.moved().stream(), java.util.stream.Stream.of(other))
                                .toList());

        assertThat(leases().release("src/a.ts", "alice", file.token(), clock.instant())
                        .applied())
                .as("the sender's old token is fenced off")
                .isFalse();
        assertThat(leases().renew("docs/guide.md", "alice", inner.token(), LEASE_TTL, clock.instant())
                        .applied())
                .isFalse();
        Lease later = grant("later.txt", "dave", Duration.ofMinutes(1));
        assertThat(later.token())
                .isGreaterThan(a.moved().stream().mapToLong(Lease::token).max().orElseThrow());
    }

    @Test
    void accepting_grants_free_resources_and_reports_what_others_hold() {
        grant("gone.txt", "alice", Duration.ofSeconds(30));
        grant("taken.txt", "alice", Duration.ofSeconds(30));
        grant("kept.txt", "alice", Duration.ofMinutes(10));
        Handoff h = create("alice", Target.pool("web"), List.of("gone.txt", "taken.txt", "kept.txt"));
        clock.advance(Duration.ofMinutes(1));
        Lease carols = grant("taken.txt", "carol", Duration.ofMinutes(5));

        Acceptance.Accepted a = accepted(h.id(), "bob");
        assertThat(a.moved()).extracting(Lease::resource).containsExactlyInAnyOrder("gone.txt", "kept.txt");
        assertThat(a.blocked()).containsExactly(carols);
        assertThat(leases().heldBy("bob", clock.instant()))
                .extracting(Lease::resource)
                .containsExactly("gone.txt", "kept.txt");
        assertThat(leases().heldBy("carol", clock.instant())).containsExactly(carols);
    }

    @Test
    void a_lease_of_the_sender_that_is_not_handed_over_blocks_the_zone_above_it() {
        grant("lib/", "alice", Duration.ofMinutes(10));
        grant("lib/x.ts", "alice", Duration.ofMinutes(10));
        Handoff h = create("alice", Target.agent("bob"), List.of("lib/"));
        Acceptance.Accepted a = accepted(h.id(), "bob");
        assertThat(a.moved()).isEmpty();
        assertThat(a.blocked()).extracting(Lease::resource).containsExactly("lib/x.ts");
        assertThat(leases().heldBy("alice", clock.instant())).hasSize(2);
    }

    @Test
    void a_fresh_session_of_the_sender_gets_its_own_leases_with_new_tokens() {
        Lease old = grant("task:42", "alice", Duration.ofMinutes(10));
        Handoff h = create("alice", Target.agent("alice"), List.of("task:42"));
        Acceptance.Accepted a = accepted(h.id(), "alice");
        assertThat(a.moved()).singleElement().satisfies(l -> {
            assertThat(l.holder()).isEqualTo("alice");
            assertThat(l.token()).isGreaterThan(old.token());
        });
        assertThat(leases().release("task:42", "alice", old.token(), clock.instant())
                        .applied())
                .isFalse();
    }

    @Test
    void an_expired_handoff_cannot_be_accepted_and_goes_back_to_the_pool_once() {
        grant("x.txt", "alice", Duration.ofHours(2));
        Handoff h = create("alice", Target.agent("bob"), List.of("x.txt"));
        assertThat(handoffs().due(clock.instant(), 10)).isEmpty();
        assertThat(handoffs().expire(h.id(), null, null, "early", clock.instant()))
                .as("not yet due")
                .isEmpty();

        clock.advance(PENDING);
        assertThat(handoffs().accept(h.id(), "bob", LEASE_TTL, clock.instant())).isInstanceOf(Acceptance.Refused.class);
        assertThat(handoffs().due(clock.instant(), 10)).extracting(Handoff::id).containsExactly(h.id());

        Instant back = clock.instant().plus(PENDING);
        Handoff returned = handoffs()
                .expire(h.id(), Target.pool("web"), back, "", clock.instant())
                .orElseThrow();
        assertThat(returned.status()).isEqualTo(HandoffStatus.PENDING);
        assertThat(returned.to()).isEqualTo(Target.pool("web"));
        assertThat(returned.expiresAt()).isEqualTo(back);
        assertThat(returned.returned()).isTrue();
        assertThat(handoffs().due(clock.instant(), 10)).isEmpty();

        clock.advance(PENDING);
        Handoff expired = handoffs()
                .expire(h.id(), null, null, "nobody came", clock.instant())
                .orElseThrow();
        assertThat(expired.status()).isEqualTo(HandoffStatus.EXPIRED);
        assertThat(expired.note()).isEqualTo("nobody came");
        assertThat(expired.closedAt()).isEqualTo(clock.instant());
        assertThat(handoffs().expire(h.id(), null, null, "again", clock.instant()))
                .isEmpty();
        assertThat(leases().heldBy("alice", clock.instant()))
                .as("expiry alone moves no lease")
                .hasSize(1);
    }

    @Test
    void decline_closes_a_named_handoff_but_keeps_a_pool_handoff_open_for_the_others() {
        Handoff named = create("alice", Target.agent("bob"), List.of());
        Handoff pooled = create("alice", Target.pool("web"), List.of());

        Handoff declined = handoffs()
                .decline(named.id(), "bob", true, "busy", clock.instant())
                .orElseThrow();
        assertThat(declined.status()).isEqualTo(HandoffStatus.DECLINED);
        assertThat(declined.note()).isEqualTo("busy");
        assertThat(declined.declinedBy()).containsExactly("bob");
        assertThat(handoffs().accept(named.id(), "bob", LEASE_TTL, clock.instant()))
                .isInstanceOf(Acceptance.Refused.class);

        Handoff still = handoffs()
                .decline(pooled.id(), "bob", false, "", clock.instant())
                .orElseThrow();
        assertThat(still.status()).isEqualTo(HandoffStatus.PENDING);
        assertThat(still.declinedBy()).containsExactly("bob");
        handoffs().decline(pooled.id(), "carol", false, "", clock.instant());
        assertThat(handoffs().find(pooled.id()).orElseThrow().declinedBy()).containsExactly("bob", "carol");
        assertThat(accepted(pooled.id(), "dave").handoff().acceptedBy()).isEqualTo("dave");
        assertThat(handoffs().decline(pooled.id(), "erin", false, "", clock.instant()))
                .isEmpty();
    }

    @Test
    void only_the_recipient_completes_and_only_a_pending_handoff_is_cancelled() {
        Handoff h = create("alice", Target.agent("bob"), List.of());
        assertThat(handoffs().complete(h.id(), "bob", "done", clock.instant()))
                .as("not accepted yet")
                .isEmpty();
        accepted(h.id(), "bob");
        assertThat(handoffs().cancel(h.id(), "changed my mind", clock.instant()))
                .isEmpty();
        assertThat(handoffs().complete(h.id(), "carol", "done", clock.instant()))
                .isEmpty();
        clock.advance(Duration.ofMinutes(3));
        Handoff done =
                handoffs().complete(h.id(), "bob", "merged", clock.instant()).orElseThrow();
        assertThat(done.status()).isEqualTo(HandoffStatus.COMPLETED);
        assertThat(done.note()).isEqualTo("merged");
        assertThat(done.closedAt()).isEqualTo(clock.instant());
        assertThat(handoffs().complete(h.id(), "bob", "again", clock.instant())).isEmpty();

        Handoff other = create("alice", Target.any(), List.of());
        Optional<Handoff> cancelled = handoffs().cancel(other.id(), "not needed", clock.instant());
        assertThat(cancelled).map(Handoff::status).contains(HandoffStatus.CANCELLED);
        assertThat(handoffs().list(EnumSet.of(HandoffStatus.COMPLETED, HandoffStatus.CANCELLED), 10))
                .extracting(Handoff::id)
                .containsExactly(other.id(), h.id());
    }
}
