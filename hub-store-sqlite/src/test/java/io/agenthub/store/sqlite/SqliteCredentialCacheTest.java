package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.auth.Credential;
import io.agenthub.auth.CredentialStore;
import io.agenthub.auth.Role;
import io.agenthub.store.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Token lookups are answered from the committed credentials kept in memory, and every committed change is seen by the
 * next lookup: what is held never falls behind the table, also while many threads look up a token being revoked.
 */
class SqliteCredentialCacheTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

    private static SqliteDatabase db(Stores stores) {
        return ((SqliteStores) stores).database();
    }

    private static Credential token(String id, String hash, String subject) {
        return new Credential(id, hash, Credential.Kind.TOKEN, subject, Role.AGENT, T0, null);
    }

    @Test
    void a_known_token_is_read_from_the_table_once() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            CredentialStore credentials = stores.credentials();
            credentials.add(token("c1", "h1", "a1"));
            assertThat(credentials.findByHash("h1")).isPresent();
            long reads = db(stores).readsRun();
            for (int i = 0; i < 50; i++) {
                assertThat(credentials.findByHash("h1").orElseThrow().subject()).isEqualTo("a1");
            }
            assertThat(db(stores).readsRun()).isEqualTo(reads);
        } finally {
            stores.close();
        }
    }

    @Test
    void unknown_tokens_are_not_kept() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            CredentialStore credentials = stores.credentials();
            long reads = db(stores).readsRun();
            for (int i = 0; i < 10; i++) {
                assertThat(credentials.findByHash("nobody-" + (i % 2))).isEmpty();
            }
            assertThat(db(stores).readsRun()).isEqualTo(reads + 10);
            credentials.add(token("c2", "nobody-0", "a2"));
            assertThat(credentials.findByHash("nobody-0").orElseThrow().subject())
                    .isEqualTo("a2");
        } finally {
            stores.close();
        }
    }

    @Test
    void every_committed_change_is_seen_by_the_next_lookup() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            CredentialStore credentials = stores.credentials();
            credentials.add(token("c1", "h1", "a1"));
            credentials.add(token("c2", "h2", "a1"));
            credentials.add(token("c3", "h3", "a3"));
            credentials.findByHash("h1").orElseThrow();
            credentials.findByHash("h2").orElseThrow();
            credentials.findByHash("h3").orElseThrow();

            assertThat(credentials.revoke("c1", T0.plusSeconds(60))).isTrue();
            assertThat(credentials.findByHash("h1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(60));

            assertThat(credentials.revokeSubject("a1", Credential.Kind.TOKEN, T0.plusSeconds(30)))
                    .isEqualTo(2);
            assertThat(credentials.findByHash("h1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(credentials.findByHash("h2").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(credentials.findByHash("h3").orElseThrow().revokedAt()).isNull();

            assertThat(credentials.deleteEnded(Credential.Kind.TOKEN, T0.plusSeconds(30)))
                    .isEqualTo(2);
            assertThat(credentials.findByHash("h1")).isEmpty();
            assertThat(credentials.findByHash("h2")).isEmpty();
            assertThat(credentials.findByHash("h3")).isPresent();
        } finally {
            stores.close();
        }
    }

    @Test
    void a_revocation_is_seen_by_every_lookup_that_starts_after_it_returns() throws Exception {
        Stores stores = SqliteFixture.fresh();
        try {
            CredentialStore credentials = stores.credentials();
            int rounds = 200;
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            for (int round = 0; round < rounds; round++) {
                String hash = "h" + round;
                credentials.add(token("c" + round, hash, "a" + round));
                AtomicBoolean revoked = new AtomicBoolean();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    readers.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            boolean after = revoked.get();
                            Optional<Credential> seen = credentials.findByHash(hash);
                            if (seen.isEmpty()) {
                                problems.add(hash + ": not found");
                            } else if (after && seen.get().revokedAt() == null) {
                                problems.add(hash + ": active after its revocation returned");
                            }
                        }
                    }));
                }
                Thread.sleep(1);
                credentials.revoke("c" + round, T0);
                revoked.set(true);
                Thread.sleep(1);
                stop.set(true);
                for (Thread r : readers) {
                    r.join();
                }
            }
            assertThat(problems).isEmpty();
        } finally {
            stores.close();
        }
    }
}
