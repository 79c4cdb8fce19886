package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.tier.Tier;
import io.agenthub.tier.TierChange;
import io.agenthub.tier.TierStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tier contract: an append-only history whose append is a compare-and-set on the newest sequence number. */
public abstract class TierStoreContract extends StoresContract {
    private TierStore tiers() {
        return stores.tiers();
    }

    private TierChange change(Tier tier, String actor) {
        return new TierChange(0, tier, tier, "because", actor, tier == Tier.MINIMAL ? "solo" : "", clock.instant());
    }

    @Test
    void append_succeeds_only_on_the_expected_newest_change() throws Exception {
        assertThat(tiers().latest()).isEmpty();
        TierChange first = tiers().append(0, change(Tier.REDUCED, "admin")).orElseThrow();
        assertThat(first.seq()).isPositive();
        assertThat(tiers().append(0, change(Tier.MAINTENANCE, "admin"))).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        TierChange second =
                tiers().append(first.seq(), change(Tier.MINIMAL, "rule:x")).orElseThrow();
        assertThat(second.seq()).isGreaterThan(first.seq());
        restart();
        assertThat(tiers().latest()).contains(second);
        assertThat(tiers().history(10)).containsExactly(second, first);
        assertThat(tiers().history(1)).containsExactly(second);
        assertThat(second.agent()).isEqualTo("solo");
        assertThat(second.at()).isEqualTo(clock.instant());
    }

    @Test
    void exactly_one_of_concurrent_appends_with_the_same_expectation_wins() throws Exception {
        TierChange base = tiers().append(0, change(Tier.FULL, "admin")).orElseThrow();
        List<Optional<TierChange>> results =
                Race.run(32, i -> tiers().append(base.seq(), change(Tier.MAINTENANCE, "node-" + i)));
        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
        assertThat(tiers().history(100)).hasSize(2);
    }
}
