package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.audit.AuditEvent;
import io.agenthub.auth.Credential;
import io.agenthub.auth.CredentialStore;
import io.agenthub.auth.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credential and audit contracts. */
public abstract class CredentialStoreContract extends StoresContract {
    private Credential credential(String id, String subject, Credential.Kind kind) {
        return new Credential(id, "hash-" + id, kind, subject, Role.AGENT, clock.instant(), null);
    }

    @Test
    void credentials_are_found_by_hash_and_revoked_by_id_or_subject() throws Exception {
        stores.credentials().add(credential("c1", "alice", Credential.Kind.TOKEN));
        stores.credentials().add(credential("c2", "alice", Credential.Kind.TOKEN));
        stores.credentials().add(credential("c3", "ci", Credential.Kind.JOIN_KEY));
        restart();
        assertThat(stores.credentials().findByHash("hash-c1"))
                .contains(credential("c1", "alice", Credential.Kind.TOKEN));
        assertThat(stores.credentials().findByHash("nope")).isEmpty();

        assertThat(stores.credentials().revoke("c1", clock.instant())).isTrue();
        assertThat(stores.credentials().revoke("c1", clock.instant())).isFalse();
        assertThat(stores.credentials().findByHash("hash-c1").orElseThrow().active())
                .isFalse();

        assertThat(stores.credentials().revokeSubject("alice", Credential.Kind.TOKEN, clock.instant()))
                .isEqualTo(1);
        assertThat(stores.credentials().findByHash("hash-c2").orElseThrow().revokedAt())
                .isEqualTo(clock.instant());
        assertThat(stores.credentials().findByHash("hash-c3").orElseThrow().active())
                .isTrue();
        assertThat(stores.credentials().list(Credential.Kind.JOIN_KEY))
                .extracting(Credential::id)
                .containsExactly("c3");
    }

    @Test
    void a_credential_stored_with_an_expiry_keeps_it_and_a_revocation_may_only_bring_it_forward() throws Exception {
        Instant expires = clock.instant().plus(Duration.ofDays(30));
        stores.credentials()
                .add(new Credential(
                        "t1", "hash-t1", Credential.Kind.TOKEN, "bob", Role.AGENT, clock.instant(), expires));
        stores.credentials()
                .add(new Credential(
                        "t2", "hash-t2", Credential.Kind.TOKEN, "bob", Role.AGENT, clock.instant(), expires));
        restart();
        assertThat(stores.credentials().findByHash("hash-t1").orElseThrow().revokedAt())
                .isEqualTo(expires);
        assertThat(stores.credentials().findByHash("hash-t1").orElseThrow().activeAt(clock.instant()))
                .isTrue();
        // A rotation with a later overlap end does not put the expiry off; an earlier one brings it forward.
        assertThat(stores.credentials().revoke("t1", expires.plus(Duration.ofDays(1))))
                .isFalse();
        Instant soon = clock.instant().plus(Duration.ofMinutes(10));
        assertThat(stores.credentials().revokeSubject("bob", Credential.Kind.TOKEN, soon))
                .isEqualTo(2);
        restart();
        assertThat(stores.credentials().findByHash("hash-t1").orElseThrow().revokedAt())
                .isEqualTo(soon);
        assertThat(stores.credentials().findByHash("hash-t2").orElseThrow().revokedAt())
                .isEqualTo(soon);
    }

    @Test
    void a_revocation_in_the_future_holds_until_then_and_can_be_brought_forward_but_not_put_off() throws Exception {
        stores.credentials().add(credential("c1", "admin", Credential.Kind.TOKEN));
        stores.credentials().add(credential("c2", "fleet", Credential.Kind.JOIN_KEY));
        Instant rotated = clock.instant();
        Instant overlapEnds = rotated.plus(Duration.ofMinutes(30));
        assertThat(stores.credentials().revokeSubject("admin", Credential.Kind.TOKEN, overlapEnds))
                .isEqualTo(1);
        assertThat(stores.credentials().revoke("c2", overlapEnds)).isTrue();
        restart();

        clock.advance(Duration.ofMinutes(29));
        Credential token = stores.credentials().findByHash("hash-c1").orElseThrow();
        assertThat(token.revokedAt()).isEqualTo(overlapEnds);
        assertThat(token.activeAt(clock.instant())).as("within the overlap").isTrue();
        assertThat(stores.credentials().list(Credential.Kind.JOIN_KEY))
                .singleElement()
                .satisfies(k -> assertThat(k.activeAt(clock.instant())).isTrue())
                .satisfies(k -> assertThat(k.revokedAt()).isEqualTo(overlapEnds));
        assertThat(stores.credentials().revoke("c2", overlapEnds.plus(Duration.ofHours(1))))
                .as("a scheduled revocation is not put off")
                .isFalse();
        assertThat(stores.credentials().revokeSubject("admin", Credential.Kind.TOKEN, overlapEnds))
                .isZero();
        assertThat(stores.credentials().findByHash("hash-c2").orElseThrow().revokedAt())
                .isEqualTo(overlapEnds);

        assertThat(stores.credentials().revoke("c2", clock.instant()))
                .as("revoked now, within the overlap")
                .isTrue();
        assertThat(stores.credentials().revokeSubject("admin", Credential.Kind.TOKEN, clock.instant()))
                .isEqualTo(1);
        assertThat(stores.credentials().findByHash("hash-c1").orElseThrow().activeAt(clock.instant()))
                .isFalse();
        assertThat(stores.credentials().findByHash("hash-c2").orElseThrow().revokedAt())
                .isEqualTo(clock.instant());
        assertThat(stores.credentials().revoke("c2", clock.instant())).isFalse();

        clock.advance(Duration.ofMinutes(2));
        assertThat(stores.credentials().findByHash("hash-c1").orElseThrow().activeAt(clock.instant()))
                .isFalse();
        assertThat(stores.credentials().revoke("c1", clock.instant()))
                .as("a past revocation stays as it was")
                .isFalse();
        assertThat(stores.credentials().findByHash("hash-c1").orElseThrow().revokedAt())
                .isEqualTo(rotated.plus(Duration.ofMinutes(29)));
    }

    @Test
    void a_credential_stored_with_its_expiry_is_revoked_now_by_exactly_one_of_many_racing_callers() throws Exception {
        Instant expires = clock.instant().plus(Duration.ofMinutes(5));
        stores.credentials()
                .add(new Credential(
                        "l1", "hash-l1", Credential.Kind.LOGIN_LINK, "admin", Role.ADMIN, clock.instant(), expires));
        stores.credentials()
                .add(new Credential(
                        "s1", "hash-s1", Credential.Kind.SESSION, "viewer-1", Role.VIEWER, clock.instant(), expires));
        restart();
        assertThat(stores.credentials().findByHash("hash-s1").orElseThrow())
                .satisfies(c -> assertThat(c.kind()).isEqualTo(Credential.Kind.SESSION))
                .satisfies(c -> assertThat(c.revokedAt()).isEqualTo(expires));
        assertThat(stores.credentials().list(Credential.Kind.LOGIN_LINK))
                .extracting(Credential::id)
                .containsExactly("l1");

        clock.advance(Duration.ofMinutes(1));
        Instant now = clock.instant();
        java.util.concurrent.atomic.AtomicInteger won = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                pool.submit(() -> {
                    if (stores.credentials().revoke("l1", now)) {
                        won.incrementAndGet();
                    }
                });
            }
        }
        assertThat(won).hasValue(1);
        assertThat(stores.credentials().findByHash("hash-l1").orElseThrow().activeAt(now))
                .isFalse();
        assertThat(stores.credentials().findByHash("hash-s1").orElseThrow().activeAt(now))
                .isTrue();
    }

    @Test
    void ended_sessions_and_links_are_deleted_with_their_indexes_and_nothing_else_is() throws Exception {
        Instant now = clock.instant();
        Instant later = now.plus(Duration.ofHours(1));
        CredentialStore creds = stores.credentials();
        creds.add(new Credential("s-old", "hash-s-old", Credential.Kind.SESSION, "viewer-1", Role.VIEWER, now, now));
        creds.add(
                new Credential("s-live", "hash-s-live", Credential.Kind.SESSION, "viewer-1", Role.VIEWER, now, later));
        creds.add(new Credential("l-used", "hash-l-used", Credential.Kind.LOGIN_LINK, "admin", Role.ADMIN, now, later));
        creds.add(new Credential("t-gone", "hash-t-gone", Credential.Kind.TOKEN, "agent-1", Role.AGENT, now, null));
        assertThat(creds.revoke("l-used", now)).isTrue();
        assertThat(creds.revoke("t-gone", now)).isTrue();
        clock.advance(Duration.ofMinutes(1));

        assertThat(creds.deleteEnded(Credential.Kind.SESSION, clock.instant())).isEqualTo(1);
        assertThat(creds.deleteEnded(Credential.Kind.LOGIN_LINK, clock.instant()))
                .isEqualTo(1);
        assertThat(creds.deleteEnded(Credential.Kind.SESSION, clock.instant())).isZero();
        restart();
        assertThat(stores.credentials().findByHash("hash-s-old")).isEmpty();
        assertThat(stores.credentials().findByHash("hash-l-used")).isEmpty();
        assertThat(stores.credentials().findByHash("hash-s-live")).isPresent();
        // A revoked token is kept: its history is listed, and tokens are not what was asked for.
        assertThat(stores.credentials().findByHash("hash-t-gone")).isPresent();
        assertThat(stores.credentials().list(Credential.Kind.SESSION))
                .extracting(Credential::id)
                .containsExactly("s-live");
        assertThat(stores.credentials().list(Credential.Kind.LOGIN_LINK)).isEmpty();
        assertThat(stores.credentials().revokeSubject("viewer-1", Credential.Kind.SESSION, clock.instant()))
                .isEqualTo(1);
        // Nothing of the deleted ones is left behind: the same id and hash can be stored again.
        stores.credentials()
                .add(new Credential(
                        "s-old", "hash-s-old", Credential.Kind.SESSION, "viewer-1", Role.VIEWER, now, later));
        assertThat(stores.credentials().findByHash("hash-s-old")).isPresent();
    }

    @Test
    void audit_events_get_strictly_increasing_sequence_numbers() throws Exception {
        AuditEvent a = stores.audit().append(new AuditEvent(0, clock.instant(), "admin", "x", "s", Map.of("k", "v")));
        AuditEvent b = stores.audit().append(new AuditEvent(0, clock.instant(), "hub", "y", "t", Map.of()));
        assertThat(b.seq()).isGreaterThan(a.seq());
        restart();
        AuditEvent c = stores.audit().append(new AuditEvent(0, clock.instant(), "hub", "z", "u", Map.of()));
        assertThat(c.seq()).isGreaterThan(b.seq());
        assertThat(stores.audit().list(0, 10)).containsExactly(a, b, c);
        assertThat(stores.audit().list(a.seq(), 1)).containsExactly(b);
    }

    @Test
    void the_audit_log_reads_backwards_from_the_newest_page() throws Exception {
        List<AuditEvent> all = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(stores.audit().append(new AuditEvent(0, clock.instant(), "admin", "x" + i, "s", Map.of())));
        }
        restart();
        List<AuditEvent> newest = stores.audit().latest(Long.MAX_VALUE, 2);
        assertThat(newest).as("oldest first within the page").containsExactlyElementsOf(all.subList(3, 5));
        List<AuditEvent> older = stores.audit().latest(newest.getFirst().seq(), 2);
        assertThat(older).containsExactlyElementsOf(all.subList(1, 3));
        assertThat(stores.audit().latest(older.getFirst().seq(), 2)).containsExactly(all.getFirst());
        assertThat(stores.audit().latest(all.getFirst().seq(), 2)).isEmpty();
    }
}
