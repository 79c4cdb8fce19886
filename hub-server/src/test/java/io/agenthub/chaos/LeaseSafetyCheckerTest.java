package io.agenthub.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseSafetyCheckerTest {
    private static GrantHistory.Grant grant(String resource, String holder, long token, long from, long until) {
        return new GrantHistory.Grant(resource, holder, token, from, until, "n");
    }

    @Test
    void a_clean_history_of_one_resource_and_a_zone_is_safe() {
        LeaseSafetyChecker.Verdict v = LeaseSafetyChecker.check(List.of(
                grant("src/a", "x", 1, 0, 10),
                grant("src/", "y", 2, 10, 20),
                grant("src/a", "z", 3, 20, 30),
                grant("src/b", "x", 4, 25, 35),
                grant("other", "y", 5, 0, 100)));
        assertThat(v.safe()).as(v.summary()).isTrue();
        assertThat(v.grants()).isEqualTo(5);
    }

    @Test
    void two_holders_valid_at_once_on_overlapping_resources_break_mutual_exclusion() {
        LeaseSafetyChecker.Verdict v =
                LeaseSafetyChecker.check(List.of(grant("src/", "x", 1, 0, 10), grant("src/a/b", "y", 2, 9, 20)));
        assertThat(v.safe()).isFalse();
        assertThat(v.violations()).singleElement().asString().startsWith("mutual exclusion broken: src/ to x");
    }

    @Test
    void a_later_grant_with_a_smaller_token_breaks_fencing() {
        LeaseSafetyChecker.Verdict v =
                LeaseSafetyChecker.check(List.of(grant("db", "x", 7, 0, 10), grant("db", "y", 5, 11, 20)));
        assertThat(v.violations()).singleElement().asString().startsWith("fencing broken: db to y (token 5");
    }

    @Test
    void grants_that_arrive_after_their_validity_and_one_holders_own_grants_are_not_compared() {
        LeaseSafetyChecker.Verdict v = LeaseSafetyChecker.check(List.of(
                grant("db", "x", 1, 0, 10),
                // Answered after its conservative end: the client never used it.
                grant("db", "y", 2, 12, 5),
                // The same holder extending what it still holds keeps its older token.
                grant("db/", "x", 3, 2, 8),
                grant("db", "x", 1, 9, 15)));
        assertThat(v.safe()).as(v.summary()).isTrue();
        assertThat(v.grants()).isEqualTo(3);
    }

    @Test
    void the_conservative_end_is_the_send_time_plus_the_ttl() {
        assertThat(GrantHistory.validUntil(1_000, java.time.Duration.ofMillis(2)))
                .isEqualTo(2_001_000);
    }
}
