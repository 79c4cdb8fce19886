package io.agenthub.store.redis;

import io.agenthub.auth.Credential;
import io.agenthub.auth.CredentialStore;
import io.agenthub.auth.Role;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hashed credentials in Redis: one hash per credential, indexed by token hash, by subject and kind, and by kind. */
final class RedisCredentialStore implements CredentialStore {
    private static final LuaScript ADD = LuaScript.load("credential-add");
    private static final LuaScript FIND = LuaScript.load("credential-find");
    private static final LuaScript REVOKE = LuaScript.load("credential-revoke");
    private static final LuaScript REVOKE_SUBJECT = LuaScript.load("credential-revoke-subject");
    private static final LuaScript LIST = LuaScript.load("credential-list");
    private static final LuaScript DELETE_ENDED = LuaScript.load("credential-delete-ended");
    private static final Comparator<Credential> NEWEST_FIRST =
            Comparator.comparing(Credential::createdAt).reversed().thenComparing(Credential::id);

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisCredentialStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void add(Credential c) {
        List<String> args = new ArrayList<>(List.of(c.id(), c.tokenHash(), Replies.millis(c.createdAt())));
        args.addAll(List.of(
                "id",
                c.id(),
                "hash",
                c.tokenHash(),
                "kind",
                c.kind().name(),
                "subject",
                c.subject(),
                "role",
                c.role().name(),
                "created",
                Replies.millis(c.createdAt())));
        if (c.revokedAt() != null) {
            args.addAll(List.of("revoked", Replies.millis(c.revokedAt())));
        }
        long added = redis.eval(
                ADD,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys.credential(c.id()),
                    keys.credentialByHash(),
                    keys.credentialSubject(c.kind().name(), c.subject()),
                    keys.credentialKind(c.kind().name())
                },
                args.toArray(String[]::new));
        if (added != 1) {
            throw new IllegalStateException("a credential with id " + c.id() + " or the same hash already exists");
        }
    }

    @Override
    public Optional<Credential> findByHash(String tokenHash) {
        Map<String, String> fields = Replies.hash(redis.eval(
                FIND,
                ScriptOutputType.MULTI,
                new String[] {keys.credentialByHash()},
                keys.credentialBase(),
                tokenHash));
        return fields.isEmpty() ? Optional.empty() : Optional.of(credential(fields));
    }

    @Override
    public boolean revoke(String id, Instant at) {
        long revoked =
                redis.eval(REVOKE, ScriptOutputType.INTEGER, new String[] {keys.credential(id)}, Replies.millis(at));
        return revoked == 1;
    }

    @Override
    public int revokeSubject(String subject, Credential.Kind kind, Instant at) {
        long n = redis.eval(
                REVOKE_SUBJECT,
                ScriptOutputType.INTEGER,
                new String[] {keys.credentialSubject(kind.name(), subject)},
                keys.credentialBase(),
                Replies.millis(at));
        return (int) n;
    }

    @Override
    public int deleteEnded(Credential.Kind kind, Instant before) {
        long n = redis.eval(
                DELETE_ENDED,
                ScriptOutputType.INTEGER,
                new String[] {keys.credentialKind(kind.name()), keys.credentialByHash()},
                keys.credentialBase(),
                keys.credentialSubject(kind.name(), ""),
                Replies.millis(before));
        return (int) n;
    }

    @Override
    public List<Credential> list(Credential.Kind kind) {
        List<Credential> out = new ArrayList<>();
        for (Map<String, String> fields : Replies.hashes(redis.eval(
                LIST,
                ScriptOutputType.MULTI,
                new String[] {keys.credentialKind(kind.name())},
                keys.credentialBase()))) {
            out.add(credential(fields));
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /** A credential from its hash's fields. */
    private static Credential credential(Map<String, String> f) {
        return new Credential(
                f.get("id"),
                f.get("hash"),
                Credential.Kind.valueOf(f.get("kind")),
                f.get("subject"),
                Role.valueOf(f.get("role")),
                Replies.millis(f.get("created")),
                Replies.optionalMillis(f.get("revoked")));
    }

    /** Credentials in snapshots, oldest first, written back as credential-add.lua writes them. */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.CredentialRow.class,
                    (x, sink) -> {
                        RedisKeys keys = x.keys();
                        List<String> ids = new ArrayList<>();
                        for (Credential.Kind kind : Credential.Kind.values()) {
                            ids.addAll(x.sync().zrange(keys.credentialKind(kind.name()), 0, -1));
                        }
                        List<Credential> all = new ArrayList<>();
                        for (Map<String, String> f : x.pipe().each(ids, (a, id) -> a.hgetall(keys.credential(id)))) {
                            if (!f.isEmpty()) {
                                all.add(credential(f));
                            }
                        }
                        all.sort(Comparator.comparing(
                                        (Credential c) -> c.createdAt().toEpochMilli())
                                .thenComparing(Credential::id, RedisSnapshotPart.BYTES));
                        all.forEach(c -> sink.accept(new SnapshotRecord.CredentialRow(c)));
                    },
                    (w, row) -> {
                        RedisKeys keys = w.keys();
                        Credential c = row.credential();
                        Map<String, String> f = new LinkedHashMap<>();
                        f.put("id", c.id());
                        f.put("hash", c.tokenHash());
                        f.put("kind", c.kind().name());
                        f.put("subject", c.subject());
                        f.put("role", c.role().name());
                        f.put("created", Replies.millis(c.createdAt()));
                        if (c.revokedAt() != null) {
                            f.put("revoked", Replies.millis(c.revokedAt()));
                        }
                        w.hset(keys.credential(c.id()), f);
                        w.hset(keys.credentialByHash(), c.tokenHash(), c.id());
                        w.sadd(keys.credentialSubject(c.kind().name(), c.subject()), c.id());
                        w.zadd(
                                keys.credentialKind(c.kind().name()),
                                c.createdAt().toEpochMilli(),
                                c.id());
                    });
}
