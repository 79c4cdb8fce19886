package io.agenthub.auth;

import io.agenthub.error.HubException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns bearer secrets into principals and issues new ones. Agent tokens, admin tokens and join keys live hashed in the
 * {@link CredentialStore}; the configured admin token is registered there at start-up (unless it is already), so that
 * it can be rotated like any other credential ({@link #rotate}).
 *
 * <p>Successful look-ups are cached for {@code cacheTtl} (never beyond a scheduled revocation) to keep the store off the
 * hot path; a revocation made through this service takes effect at once, one made on another hub node within
 * {@code cacheTtl}. While the store is unreachable the configured admin token still authenticates (break-glass), so
 * that operators can see and degrade the hub.
 */
public final class AuthService {
    public static final String TOKEN_PREFIX = "ahk_";
    public static final String JOIN_KEY_PREFIX = "ahj_";
    public static final String ADMIN_TOKEN_PREFIX = "aha_";
    public static final String SESSION_PREFIX = "ahs_";
    public static final String LOGIN_LINK_PREFIX = "ahl_";

    private final CredentialStore store;
    private final InstantSource clock;
    private final String adminTokenHash;
    private final Duration cacheTtl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final Credential configuredAdmin;
    private final Duration tokenTtl;
    private final Duration renewOverlap;

    private record Cached(Principal principal, Instant until) {}

    /** A newly issued secret, shown to its owner exactly once. */
    public record Issued(String id, String secret) {}

    /**
     * The outcome of a rotation.
     *
     * @param adminToken the new admin token (shown once)
     * @param joinKeys the new join key for each label whose key was rotated (shown once)
     * @param oldValidUntil when the previous admin tokens and join keys stop working
     */
    public record Rotation(Issued adminToken, Map<String, Issued> joinKeys, Instant oldValidUntil) {}

    /**
     * A renewed token.
     *
     * @param token the new token (shown once)
     * @param expiresAt when the new token stops working, or null if tokens do not expire
     * @param oldValidUntil when the token it replaces stops working
     */
    public record Renewal(Issued token, Instant expiresAt, Instant oldValidUntil) {}

    /** Tokens that never expire; a renewal's old token keeps working for ten minutes. */
    public AuthService(CredentialStore store, InstantSource clock, String adminToken, Duration cacheTtl) {
        this(store, clock, adminToken, cacheTtl, Duration.ZERO, Duration.ofMinutes(10));
    }

    /**
     * @param tokenTtl how long an agent's or viewer's token works from its issue, zero for ever; stored as a revocation
     *     time in the future, so that every store keeps it without a schema of its own
     * @param renewOverlap how long a token replaced by {@link #renew} keeps working
     */
    public AuthService(
            CredentialStore store,
            InstantSource clock,
            String adminToken,
            Duration cacheTtl,
            Duration tokenTtl,
            Duration renewOverlap) {
        this.tokenTtl = tokenTtl;
        this.renewOverlap = renewOverlap;
        this.store = store;
        this.clock = clock;
        this.adminTokenHash = Secrets.hash(adminToken);
        this.cacheTtl = cacheTtl;
        Credential known = store.findByHash(adminTokenHash).orElse(null);
        if (known == null) {
            known = new Credential(
                    adminTokenHash.substring(0, 12),
                    adminTokenHash,
                    Credential.Kind.TOKEN,
                    Principal.ADMIN_ID,
                    Role.ADMIN,
                    clock.instant(),
                    null);
            store.add(known);
        }
        this.configuredAdmin = known;
    }

    /**
     * When the configured admin token stops (or stopped) being accepted because it was rotated out; empty while it is
     * valid indefinitely.
     */
    public Optional<Instant> configuredAdminRevokedAt() {
        return store.findByHash(adminTokenHash).map(Credential::revokedAt);
    }

    /** The principal for a bearer secret; {@link HubException.Unauthenticated} if it is missing, unknown or revoked. */
    public Principal authenticate(String bearer) {
        if (bearer == null || bearer.isBlank()) {
            throw new HubException.Unauthenticated(
                    "Send 'Authorization: Bearer <token>'. Agents get a token from an admin or by enrolling with a join"
                            + " key.");
        }
        String hash = Secrets.hash(bearer.strip());
        Instant now = clock.instant();
        Cached hit = cache.get(hash);
        if (hit != null && hit.until().isAfter(now)) {
            return hit.principal();
        }
        Credential credential;
        try {
            credential = store.findByHash(hash).orElse(null);
        } catch (HubException.Unavailable e) {
            if (Secrets.equal(hash, adminTokenHash) && configuredAdmin.activeAt(now)) {
                return new Principal(Principal.ADMIN_ID, Role.ADMIN);
            }
            throw e;
        }
        if (credential == null || credential.kind() != Credential.Kind.TOKEN || !credential.activeAt(now)) {
            throw new HubException.Unauthenticated(
                    "The bearer token is unknown or revoked. Ask an admin for a new one.");
        }
        Principal principal = new Principal(credential.subject(), credential.role());
        if (cache.size() > 100_000) {
            cache.clear();
        }
        Instant until = now.plus(cacheTtl);
        if (credential.revokedAt() != null && credential.revokedAt().isBefore(until)) {
            until = credential.revokedAt();
        }
        cache.put(hash, new Cached(principal, until));
        return principal;
    }

    /** Issues a token for a subject with a role; an agent's or viewer's expires after the token TTL, if one is set. */
    public Issued issueToken(String subject, Role role) {
        return issue(TOKEN_PREFIX, Credential.Kind.TOKEN, subject, role);
    }

    /** Issues a token for a subject and revokes every other token of it at once. */
    public Issued replaceTokens(String subject, Role role) {
        revokeTokens(subject);
        return issueToken(subject, role);
    }

    /**
     * Gives the holder of {@code bearer} a new token (with a fresh expiry) and ends the old one after the renewal
     * overlap (or at its own expiry, if that comes first). Admin tokens are rotated with {@link #rotate} instead.
     */
    public Renewal renew(String bearer) {
        Principal caller = authenticate(bearer);
        if (caller.role() == Role.ADMIN) {
            throw new HubException.Forbidden(
                    "Admin tokens are not renewed; rotate them with 'hub keys rotate' (POST /api/keys/rotate).");
        }
        Credential old = store.findByHash(Secrets.hash(bearer.strip())).orElseThrow();
        Instant now = clock.instant();
        Instant until = now.plus(renewOverlap);
        store.revoke(old.id(), until);
        cache.remove(old.tokenHash());
        Issued fresh = issueToken(caller.id(), caller.role());
        Instant oldEnds =
                store.findByHash(old.tokenHash()).map(Credential::revokedAt).orElse(until);
        return new Renewal(fresh, expiry(caller.role(), now), oldEnds);
    }

    /**
     * Rotates every agent's and viewer's token: each subject with a token accepted now gets one new token, and its
     * current tokens stop working at {@code now + overlap} (or earlier, at their own expiry). Returns the new tokens by
     * subject, to be shown once.
     */
    public Map<String, Issued> rotateTokens(Duration overlap) {
        Instant now = clock.instant();
        Instant until = now.plus(overlap);
        Map<String, Role> subjects = new java.util.TreeMap<>();
        for (Credential c : store.list(Credential.Kind.TOKEN)) {
            if (c.role() != Role.ADMIN && c.activeAt(now)) {
                subjects.put(c.subject(), c.role());
            }
        }
        Map<String, Issued> out = new LinkedHashMap<>();
        subjects.forEach((subject, role) -> {
            store.revokeSubject(subject, Credential.Kind.TOKEN, until);
            out.put(subject, issueToken(subject, role));
        });
        cache.clear();
        return out;
    }

    /** When a token issued now for {@code role} expires, or null if it does not. */
    private Instant expiry(Role role, Instant now) {
        return role == Role.ADMIN || tokenTtl.isZero() ? null : now.plus(tokenTtl);
    }

    /** Issues a join key with which agents enrol themselves. */
    public Issued issueJoinKey(String label) {
        return issue(JOIN_KEY_PREFIX, Credential.Kind.JOIN_KEY, label, Role.AGENT);
    }

    private Issued issue(String prefix, Credential.Kind kind, String subject, Role role) {
        return issue(prefix, kind, subject, role, null);
    }

    private Issued issue(String prefix, Credential.Kind kind, String subject, Role role, Instant expires) {
        String secret = Secrets.generate(prefix);
        String hash = Secrets.hash(secret);
        String id = hash.substring(0, 12);
        Instant now = clock.instant();
        Instant expiresAt = expires != null ? expires : kind == Credential.Kind.TOKEN ? expiry(role, now) : null;
        store.add(new Credential(id, hash, kind, subject, role, now, expiresAt));
        return new Issued(id, secret);
    }

    /**
     * Opens a dashboard session for a viewer or admin: a secret for a cookie, stored hashed like a token with its expiry
     * as the revocation time, so that every hub node on the same store accepts it and {@link #closeSession} ends it
     * everywhere at once. Agents get no session: the dashboard is for people.
     */
    public Issued openSession(Principal who, Duration ttl) {
        if (who.role() == Role.AGENT) {
            throw new HubException.Forbidden(
                    "The dashboard takes a viewer or admin token, not an agent's. Ask an admin for a viewer token.");
        }
        return issue(
                SESSION_PREFIX,
                Credential.Kind.SESSION,
                who.id(),
                who.role(),
                clock.instant().plus(ttl));
    }

    /**
     * The principal of an open session. Not cached: a logout on any node takes effect on the next request.
     *
     * @throws HubException.Unauthenticated if the session is unknown, expired or closed
     */
    public Principal session(String secret) {
        Credential c = secret == null || secret.isBlank()
                ? null
                : store.findByHash(Secrets.hash(secret.strip())).orElse(null);
        if (c == null || c.kind() != Credential.Kind.SESSION || !c.activeAt(clock.instant())) {
            throw new HubException.Unauthenticated("The dashboard session expired or was closed; log in again.");
        }
        return new Principal(c.subject(), c.role());
    }

    /** Ends a session from now on, on every node; false if it was not open. */
    public boolean closeSession(String secret) {
        if (secret == null || secret.isBlank()) {
            return false;
        }
        return store.findByHash(Secrets.hash(secret.strip()))
                .filter(c -> c.kind() == Credential.Kind.SESSION)
                .map(c -> store.revoke(c.id(), clock.instant()))
                .orElse(false);
    }

    /**
     * Deletes the dashboard sessions and login links that ended (expired, closed or redeemed) before now; returns how
     * many. The janitor runs it: they are refused once ended, this only keeps them from piling up in the store.
     */
    public int purgeEndedSessions() {
        Instant now = clock.instant();
        return store.deleteEnded(Credential.Kind.SESSION, now) + store.deleteEnded(Credential.Kind.LOGIN_LINK, now);
    }

    /** Issues a one-time login link code for an admin or viewer that is valid for {@code ttl}. */
    public Issued issueLoginLink(Principal who, Duration ttl) {
        if (who.role() == Role.AGENT) {
            throw new HubException.Forbidden("Only admins and viewers log in to the dashboard.");
        }
        return issue(
                LOGIN_LINK_PREFIX,
                Credential.Kind.LOGIN_LINK,
                who.id(),
                who.role(),
                clock.instant().plus(ttl));
    }

    /**
     * Redeems a login link code once: the revocation is a compare-and-set in the store, so of concurrent redemptions
     * (on any node) exactly one gets the principal.
     *
     * @throws HubException.Unauthenticated if the code is unknown, expired or already used
     */
    public Principal redeemLoginLink(String code) {
        Instant now = clock.instant();
        Credential c = code == null || code.isBlank()
                ? null
                : store.findByHash(Secrets.hash(code.strip())).orElse(null);
        if (c == null || c.kind() != Credential.Kind.LOGIN_LINK || !c.activeAt(now) || !store.revoke(c.id(), now)) {
            throw new HubException.Unauthenticated(
                    "The login link is unknown, expired or already used. Run 'hub dashboard' for a new one.");
        }
        return new Principal(c.subject(), c.role());
    }

    /** Checks a join key and returns its label; {@link HubException.Forbidden} if it is unknown or revoked. */
    public String checkJoinKey(String joinKey) {
        return Optional.ofNullable(joinKey)
                .flatMap(k -> store.findByHash(Secrets.hash(k.strip())))
                .filter(c -> c.kind() == Credential.Kind.JOIN_KEY && c.activeAt(clock.instant()))
                .map(Credential::subject)
                .orElseThrow(() -> new HubException.Forbidden(
                        "The join key is unknown or revoked. Ask an admin for a current one."));
    }

    /** Revokes every token of an agent, effective on this node at once. */
    public int revokeTokens(String subject) {
        int n = store.revokeSubject(subject, Credential.Kind.TOKEN, clock.instant());
        cache.values().removeIf(c -> c.principal().id().equals(subject));
        return n;
    }

    /** Revokes one credential by its public id. */
    public boolean revoke(String id) {
        boolean done = store.revoke(id, clock.instant());
        cache.clear();
        return done;
    }

    /**
     * Rotates the admin token and every join key: issues a new admin token and, for each join key not yet rotated, a
     * new key with the same label; the previous ones keep working for {@code overlap} and are refused after that.
     * Credentials still in the overlap of an earlier rotation are refused from the end of this overlap if that comes
     * sooner (a rotation with overlap 0 shuts out every old admin token and join key at once).
     */
    public Rotation rotate(Duration overlap) {
        Instant now = clock.instant();
        Instant until = now.plus(overlap);
        store.revokeSubject(Principal.ADMIN_ID, Credential.Kind.TOKEN, until);
        Issued admin = issue(ADMIN_TOKEN_PREFIX, Credential.Kind.TOKEN, Principal.ADMIN_ID, Role.ADMIN);
        Map<String, Issued> keys = new LinkedHashMap<>();
        for (Credential key : store.list(Credential.Kind.JOIN_KEY)) {
            if (key.revokedAt() == null) {
                store.revoke(key.id(), until);
                keys.put(key.subject() + " (" + key.id() + ")", issueJoinKey(key.subject()));
            } else if (key.activeAt(now)) {
                // Still in the overlap of an earlier rotation, and already replaced: it ends no later than this one.
                store.revoke(key.id(), until);
            }
        }
        cache.clear();
        return new Rotation(admin, keys, until);
    }

    /** Credentials of a kind (hashes included: callers must not expose them). */
    public List<Credential> list(Credential.Kind kind) {
        return store.list(kind);
    }
}
