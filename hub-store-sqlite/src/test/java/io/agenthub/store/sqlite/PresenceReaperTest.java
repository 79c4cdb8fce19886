package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.agent.PresencePolicy;
import io.agenthub.agent.PresenceReaper;
import io.agenthub.audit.AuditLog;
import io.agenthub.auth.Role;
import io.agenthub.lease.Acquisition;
import io.agenthub.lease.Lease;
import io.agenthub.lease.LeaseOutcome;
import io.agenthub.lease.LeasePolicy;
import io.agenthub.lease.LeaseService;
import io.agenthub.lease.LeaseStore;
import io.agenthub.store.Stores;
import io.agenthub.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reaper's cost per pass does not grow with the number of agents that went offline long ago. */
class PresenceReaperTest {
    private final MutableClock clock = MutableClock.atSomeFixedTime();
    private Stores stores;

    @BeforeEach
    void open() throws Exception {
        stores = SqliteFixture.fresh();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void a_pass_reads_the_leases_once_and_still_frees_a_silent_holders_lease() {
        AtomicInteger perHolderReads = new AtomicInteger();
        LeaseStore counting = new CountingLeaseStore(stores.leases(), perHolderReads);
        LeaseService leases = new LeaseService(
                counting,
                new LeasePolicy(Duration.ofMinutes(30), Duration.ofHours(2), 256),
                new AuditLog(stores.audit(), clock),
                clock);
        List<String> said = new ArrayList<>();
        PresenceReaper reaper = new PresenceReaper(
                stores.agents(),
                leases,
                new PresencePolicy(Duration.ofSeconds(60), 3, Duration.ofMinutes(15), Duration.ofMinutes(2)),
                new AuditLog(stores.audit(), clock),
                clock,
                said::add);
        for (int i = 0; i < 200; i++) {
            stores.agents().create(Agent.fresh("gone-" + i, "Gone", Role.AGENT, List.of(), Map.of(), clock.instant()));
        }
        stores.agents().create(Agent.fresh("holder", "Holder", Role.AGENT, List.of(), Map.of(), clock.instant()));
        assertThat(counting.tryAcquire("src/kept.java", "holder", Duration.ofHours(2), "", clock.instant()))
                .isInstanceOf(Acquisition.Granted.class);

        clock.advance(Duration.ofHours(1));
        PresenceReaper.Pass pass = reaper.run();
        assertThat(pass.released()).extracting(Lease::resource).containsExactly("src/kept.java");
        assertThat(reaper.run().released()).isEmpty();
        assertThat(perHolderReads.get())
                .as("per-agent lease reads over two passes with 201 silent agents")
                .isZero();
    }

    /** Delegates, and counts calls of {@link #heldBy}. */
    private record CountingLeaseStore(LeaseStore d, AtomicInteger heldBy) implements LeaseStore {
        @Override
        public Acquisition tryAcquire(
                String resource, String holder, Duration ttl, String note, Instant now, int maxHeld) {
            return d.tryAcquire(resource, holder, ttl, note, now, maxHeld);
        }

        @Override
        public LeaseOutcome renew(String resource, String holder, long token, Duration ttl, Instant now) {
            return d.renew(resource, holder, token, ttl, now);
        }

        @Override
        public LeaseOutcome release(String resource, String holder, long token, Instant now) {
            return d.release(resource, holder, token, now);
        }

        @Override
        public Optional<Lease> forceRelease(String resource, Instant now) {
            return d.forceRelease(resource, now);
        }

        @Override
        public List<Lease> active(Instant now) {
            return d.active(now);
        }

        @Override
        public List<Lease> heldBy(String holder, Instant now) {
            heldBy.incrementAndGet();
            return d.heldBy(holder, now);
        }

        @Override
        public List<Lease> overlapping(String resource, Instant now) {
            return d.overlapping(resource, now);
        }

        @Override
        public int purgeEndedBefore(Instant before) {
            return d.purgeEndedBefore(before);
        }
    }
}
