package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.agent.Agent;
import io.agenthub.auth.Role;
import io.agenthub.lease.Acquisition;
import io.agenthub.store.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scratch namespace contract: empty, isolated from the hub's data and from other namespaces, gone on close. */
public abstract class ScratchStoresContract extends StoresContract {
    @Test
    void a_scratch_namespace_is_empty_isolated_and_deleted_on_close() throws Exception {
        stores.agents().create(Agent.fresh("alice", "Alice", Role.AGENT, List.of(), Map.of(), clock.instant()));
        try (Stores a = stores.openScratch("check-a");
                Stores b = stores.openScratch("check-b")) {
            assertThat(a.agents().list()).isEmpty();
            assertThat(a.messages().latestCursor()).isZero();
            assertThat(a.credentials().list(io.agenthub.auth.Credential.Kind.TOKEN))
                    .isEmpty();
            a.agents().create(Agent.fresh("scratch", "S", Role.AGENT, List.of(), Map.of(), clock.instant()));
            assertThat(a.leases().tryAcquire("x", "scratch", Duration.ofMinutes(1), "", clock.instant()))
                    .isInstanceOf(Acquisition.Granted.class);
            assertThat(b.leases().tryAcquire("x", "other", Duration.ofMinutes(1), "", clock.instant()))
                    .as("another namespace does not see the lease")
                    .isInstanceOf(Acquisition.Granted.class);
            assertThat(stores.agents().list()).extracting(Agent::id).containsExactly("alice");
            assertThat(stores.leases().active(clock.instant())).isEmpty();
        }
        try (Stores again = stores.openScratch("check-a")) {
            assertThat(again.agents().list())
                    .as("closing deleted the namespace")
                    .isEmpty();
        }
        assertThat(stores.agents().list()).extracting(Agent::id).containsExactly("alice");
    }

    @Test
    void namespaces_inside_a_namespace_are_isolated_and_deleted_with_the_outer_one() throws Exception {
        try (Stores run = stores.openScratch("run")) {
            try (Stores a = run.openScratch("c0");
                    Stores b = run.openScratch("c1")) {
                a.agents().create(Agent.fresh("in-a", "A", Role.AGENT, List.of(), Map.of(), clock.instant()));
                assertThat(b.agents().list()).as("a sibling does not see it").isEmpty();
                assertThat(run.agents().list())
                        .as("the outer namespace does not see it")
                        .isEmpty();
            }
            try (Stores a = run.openScratch("c0")) {
                assertThat(a.agents().list()).extracting(Agent::id).isSubsetOf("in-a");
            }
        }
        try (Stores run = stores.openScratch("run");
                Stores a = run.openScratch("c0")) {
            assertThat(a.agents().list())
                    .as("closing the outer namespace deleted the inner ones")
                    .isEmpty();
        }
        assertThat(stores.agents().list()).isEmpty();
    }
}
