package io.agenthub.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage SPI for hashed credentials. Implementations never see a plain secret. */
public interface CredentialStore {
    /**
     * Stores a new credential. Its {@code revokedAt} may already be set in the future: that is its expiry (tokens issued
     * under {@code agent-token-ttl}), kept like any revocation and brought forward, never put off, by later revocations.
     */
    void add(Credential credential);

    /** The credential with this hash, revoked or not. */
    Optional<Credential> findByHash(String tokenHash);

    /**
     * Revokes one credential by its public id from {@code at} on ({@code at} may lie in the future: the credential
     * keeps working until then). Applies only to a credential still accepted at {@code at} (never revoked, or revoked
     * later than {@code at}); false if there is none.
     */
    boolean revoke(String id, Instant at);

    /**
     * Revokes from {@code at} on every credential of the given kind for a subject that is still accepted at {@code at};
     * returns how many.
     */
    int revokeSubject(String subject, Credential.Kind kind, Instant at);

    /**
     * Deletes every credential of a kind that was no longer accepted at {@code before} (revoked or expired at or before
     * it), with whatever indexes it; returns how many. For credentials that end by themselves (dashboard sessions,
     * login links), which would otherwise pile up.
     */
    int deleteEnded(Credential.Kind kind, Instant before);

    /** All credentials of a kind, newest first (hashes included; adapters must not expose them). */
    List<Credential> list(Credential.Kind kind);
}
