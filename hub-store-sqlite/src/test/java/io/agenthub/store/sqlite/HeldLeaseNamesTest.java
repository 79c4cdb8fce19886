package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldLeaseNamesTest {
    private final HeldLeaseNames names = new HeldLeaseNames();

    @Test
    void a_name_overlaps_its_own_grant_the_zones_around_it_and_for_a_zone_the_names_inside() {
        names.granted("src/app/main.java", 1, 1_000, 0);
        names.granted("docs/", 2, 1_000, 0);
        assertThat(names.mayOverlap("src/app/main.java", 10)).isTrue();
        assertThat(names.mayOverlap("src/app/", 10))
                .as("a zone holding the name")
                .isTrue();
        assertThat(names.mayOverlap("src/", 10)).isTrue();
        assertThat(names.mayOverlap("docs/guide.md", 10))
                .as("inside a held zone")
                .isTrue();
        assertThat(names.mayOverlap("src/app/other.java", 10)).isFalse();
        assertThat(names.mayOverlap("src/apps/", 10))
                .as("a zone whose name only starts the same")
                .isFalse();
        assertThat(names.mayOverlap("lib/", 10)).isFalse();
        assertThat(names.mayOverlap("src/app/main.java", 1_000)).as("expired").isFalse();
    }

    @Test
    void an_ended_grant_is_forgotten_only_if_it_is_still_the_noted_one() {
        names.granted("a", 1, 1_000, 0);
        names.ended("a", 1);
        assertThat(names.mayOverlap("a", 10)).isFalse();
        names.granted("a", 2, 1_000, 0);
        names.granted("a", 3, 1_000, 0);
        names.ended("a", 2);
        assertThat(names.mayOverlap("a", 10)).as("token 3 took it again").isTrue();
    }

    @Test
    void expired_names_are_swept_so_that_the_hint_follows_what_is_active() {
        for (int i = 0; i < HeldLeaseNames.SWEEP_AT * 3; i++) {
            // Each grant lasts 10 ms of a clock that moves 1 ms per grant.
            names.granted("n" + i, i, i + 10, i);
        }
        assertThat(names.size()).isLessThan(HeldLeaseNames.SWEEP_AT);
        assertThat(names.mayOverlap("n" + (HeldLeaseNames.SWEEP_AT * 3 - 1), HeldLeaseNames.SWEEP_AT * 3L))
                .isTrue();
    }
}
