package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.flag.Flag;
import io.agenthub.flag.FlagStore;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feature flag contract: definitions by key, and a version that every change raises in the same step. */
public abstract class FlagStoreContract extends StoresContract {
    private FlagStore flags() {
        return stores.flags();
    }

    private Flag flag(String key, Object value) {
        return new Flag(
                key,
                value instanceof Boolean
                        ? Flag.Type.BOOLEAN
                        : value instanceof String ? Flag.Type.STRING : Flag.Type.NUMBER,
                value,
                List.of(new Flag.Rule(List.of("a-1"), List.of("web"), List.of("v2"), 25, value)),
                true,
                "about " + key,
                "admin",
                clock.instant());
    }

    @Test
    void every_change_raises_the_version_and_flags_survive_a_restart() throws Exception {
        assertThat(flags().version()).isZero();
        assertThat(flags().list()).isEmpty();
        long first = flags().put(flag("new-parser", true));
        long second = flags().put(flag("model", "opus"));
        long third = flags().put(flag("temperature", 0.5));
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        long replaced = flags().put(flag("new-parser", false));
        assertThat(replaced).isGreaterThan(third);
        assertThat(flags().delete("nothing")).isEqualTo(-1);
        assertThat(flags().version()).isEqualTo(replaced);
        restart();
        assertThat(flags().list()).extracting(Flag::key).containsExactly("model", "new-parser", "temperature");
        assertThat(flags().list()).contains(flag("new-parser", false), flag("model", "opus"), flag("temperature", 0.5));
        long deleted = flags().delete("model");
        assertThat(deleted).isGreaterThan(replaced);
        assertThat(flags().list()).extracting(Flag::key).containsExactly("new-parser", "temperature");
        assertThat(flags().version()).isEqualTo(deleted);
    }

    @Test
    void concurrent_changes_each_get_their_own_version() throws Exception {
        List<Long> versions = Race.run(32, i -> flags().put(flag("f-" + i, i % 2 == 0)));
        assertThat(new HashSet<>(versions)).hasSize(32);
        assertThat(flags().version()).isEqualTo(32);
        assertThat(flags().list()).hasSize(32);
    }
}
