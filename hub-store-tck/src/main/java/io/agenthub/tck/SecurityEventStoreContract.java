package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.audit.AuditStore;
import io.agenthub.audit.SecurityEvent;
import io.agenthub.audit.SecurityEvent.Kind;
import io.agenthub.audit.SecurityEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The security event contract of the audit store: per-minute counts by (kind, subject, detail), sums over a period,
 * exact under concurrency and across hub nodes, bounded per minute, purged by age.
 */
public abstract class SecurityEventStoreContract extends StoresContract {
    private AuditStore audit() {
        return stores.audit();
    }

    private Instant minute(int n) {
        return clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(n));
    }

    private static SecurityEvent e(Kind kind, String subject, String detail, long n) {
        return new SecurityEvent(kind.key(), subject, detail, n);
    }

    @Test
    void sums_cover_the_minutes_that_start_in_the_period_largest_first() throws Exception {
        audit().addSecurityEvents(
                        minute(0),
                        List.of(
                                e(Kind.BAD_TOKEN, "10.0.0.9", "GET /api/agents", 3),
                                e(Kind.FORBIDDEN, "bob", "PATCH /api/agents/{id}", 1)));
        audit().addSecurityEvents(minute(1), List.of(e(Kind.BAD_TOKEN, "10.0.0.9", "GET /api/agents", 4)));
        audit().addSecurityEvents(minute(3), List.of(e(Kind.REDACTED, "amy", "anthropic", 2)));
        restart();
        assertThat(audit().securityEvents(minute(0), minute(2)))
                .containsExactly(
                        e(Kind.BAD_TOKEN, "10.0.0.9", "GET /api/agents", 7),
                        e(Kind.FORBIDDEN, "bob", "PATCH /api/agents/{id}", 1));
        assertThat(audit().securityEvents(minute(1), minute(4)))
                .containsExactly(
                        e(Kind.BAD_TOKEN, "10.0.0.9", "GET /api/agents", 4), e(Kind.REDACTED, "amy", "anthropic", 2));
        assertThat(audit().securityEvents(minute(4), minute(10))).isEmpty();
        audit().addSecurityEvents(minute(5), List.of());
        assertThat(audit().securityEvents(minute(5), minute(6))).isEmpty();
    }

    @Test
    void subjects_and_details_come_back_as_written() {
        SecurityEvent odd = e(Kind.QUOTA_REFUSED, "", "line one\nline two: ünïcode", 1);
        SecurityEvent v6 = e(Kind.UNAUTHENTICATED, "[::1]:80", "", 2);
        audit().addSecurityEvents(minute(0), List.of(odd, v6));
        assertThat(audit().securityEvents(minute(0), minute(1))).containsExactly(v6, odd);
    }

    @Test
    void concurrent_adds_never_lose_an_increment() throws Exception {
        Race.run(32, i -> {
            for (int n = 0; n < 20; n++) {
                audit().addSecurityEvents(
                                minute(n % 2),
                                List.of(e(Kind.RATE_LIMITED, "flood", "chat", 1), e(Kind.FORBIDDEN, "flood", "x", 2)));
            }
            return null;
        });
        assertThat(audit().securityEvents(minute(0), minute(2)))
                .containsExactly(e(Kind.FORBIDDEN, "flood", "x", 1280), e(Kind.RATE_LIMITED, "flood", "chat", 640));
    }

    @Test
    void two_hub_nodes_see_one_total() {
        SecurityEvents one = new SecurityEvents(audit(), clock);
        SecurityEvents two = new SecurityEvents(stores.audit(), clock);
        for (int i = 0; i < 30; i++) {
            one.rateLimited("flood", "writes");
            two.rateLimited("flood", "writes");
        }
        two.record(Kind.INJECTION_FLAG, "amy", "you-are-now", 1);
        two.flush();
        Instant now = clock.instant();
        List<SecurityEvent> seen = one.between(now.minus(Duration.ofHours(1)), now.plusSeconds(60));
        assertThat(seen)
                .containsExactly(
                        e(Kind.RATE_LIMITED, "flood", "writes", 60), e(Kind.INJECTION_FLAG, "amy", "you-are-now", 1));
        assertThat(SecurityEvents.byKind(seen))
                .containsEntry("rate_limited", 60L)
                .containsEntry("injection_flag", 1L)
                .containsEntry("bad_token", 0L);
    }

    @Test
    void a_flood_from_many_addresses_keeps_a_minute_bounded() {
        SecurityEvents events = new SecurityEvents(audit(), clock);
        int addresses = SecurityEvents.MAX_ROWS_PER_MINUTE + 300;
        for (int i = 0; i < addresses; i++) {
            events.record(Kind.BAD_TOKEN, "10.1." + (i / 250) + "." + (i % 250), "GET /api/agents", 2);
        }
        Instant now = clock.instant();
        List<SecurityEvent> rows = events.between(now.minus(Duration.ofMinutes(1)), now.plusSeconds(60));
        assertThat(rows).hasSize(SecurityEvents.MAX_ROWS_PER_MINUTE + 1);
        assertThat(rows.stream().mapToLong(SecurityEvent::count).sum()).isEqualTo(2L * addresses);
        assertThat(rows.getFirst()).isEqualTo(e(Kind.BAD_TOKEN, SecurityEvents.OTHERS, "", 600));
    }

    @Test
    void purge_deletes_minutes_before_the_cut() {
        audit().addSecurityEvents(minute(0), List.of(e(Kind.FORBIDDEN, "a", "r", 1), e(Kind.FORBIDDEN, "b", "r", 1)));
        audit().addSecurityEvents(minute(1), List.of(e(Kind.FORBIDDEN, "a", "r", 1)));
        assertThat(audit().purgeSecurityEventsBefore(minute(1))).isEqualTo(2);
        assertThat(audit().securityEvents(minute(0), minute(5))).containsExactly(e(Kind.FORBIDDEN, "a", "r", 1));
    }

    @Test
    void a_period_sums_what_was_flushed_and_what_is_still_in_memory() {
        SecurityEvents events = new SecurityEvents(audit(), clock);
        events.record(Kind.FORBIDDEN, "bob", "r", 1);
        events.flush();
        events.record(Kind.FORBIDDEN, "bob", "r", 1);
        clock.advance(Duration.ofMinutes(2));
        events.record(Kind.FORBIDDEN, "bob", "r", 1);
        Instant now = clock.instant();
        assertThat(events.between(now.minus(Duration.ofMinutes(10)), now.plusSeconds(60)))
                .isEqualTo(List.of(e(Kind.FORBIDDEN, "bob", "r", 3)));
    }
}
