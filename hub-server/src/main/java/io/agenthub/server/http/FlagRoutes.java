package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.flag.Flag;
import io.agenthub.flag.FlagService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feature flags: {@code /api/flags} (the caller's evaluated flags; admins manage definitions) and the OpenFeature
 * Remote Evaluation Protocol under {@code /ofrep/v1/evaluate/flags}, where the bearer token names the agent and the
 * agent's id is the targeting key. OFREP answers in its own shapes ({@code {key, value, reason, variant, metadata}},
 * errors as {@code {key, errorCode, errorDetails}}), not as problem documents.
 */
public final class FlagRoutes {
    private final FlagService flags;

    record FlagBody(String type, Object defaultValue, List<Flag.Rule> rules, Boolean enabled, String description) {}

    record OfrepBody(Map<String, Object> context) {}

    public FlagRoutes(FlagService flags) {
        this.flags = flags;
    }

    public void register(Router r) {
        r.get("/api/flags", Access.READ, call -> Reply.ok(evaluated(flags.evaluate(call.principal()))));
        r.get(
                "/api/flags/definitions",
                Access.ADMIN,
                call -> Reply.ok(Map.of("flags", flags.definitions(call.principal()))));
        r.post("/api/flags/{key}", Access.ADMIN, call -> {
            FlagBody b = call.body(FlagBody.class);
            Flag.Type type = type(b.type());
            Flag spec = new Flag(
                    call.path("key"),
                    type,
                    b.defaultValue() == null ? "" : b.defaultValue(),
                    b.rules(),
                    b.enabled() == null || b.enabled(),
                    b.description(),
                    "",
                    java.time.Instant.EPOCH);
            return Reply.ok(flags.set(call.principal(), spec));
        });
        r.delete("/api/flags/{key}", Access.ADMIN, call -> {
            flags.delete(call.principal(), call.path("key"));
            return Reply.ok(Map.of("deleted", call.path("key")));
        });
        r.post("/ofrep/v1/evaluate/flags/{key}", Access.READ, call -> {
            String key = call.path("key");
            OfrepBody b = call.bodyOr(OfrepBody.class, new OfrepBody(null));
            String target;
            try {
                target = target(call.principal(), b);
            } catch (OfrepError e) {
                return e.reply(key);
            }
            Optional<FlagService.Evaluation> e = flags.evaluate(target, key);
            if (e.isEmpty()) {
                return new OfrepError(404, "FLAG_NOT_FOUND", "No flag " + key + " in the hub.").reply(key);
            }
            return Reply.ok(ofrep(e.get(), flags.evaluate(target).version()));
        });
        r.post("/ofrep/v1/evaluate/flags", Access.READ, call -> {
            OfrepBody b = call.bodyOr(OfrepBody.class, new OfrepBody(null));
            String target;
            try {
                target = target(call.principal(), b);
            } catch (OfrepError e) {
                return new Reply(
                        400, Map.of("errorCode", e.code, "errorDetails", e.getMessage()), "application/json", Map.of());
            }
            FlagService.Evaluated all = flags.evaluate(target);
            String etag = "\"" + all.version() + "-"
                    + Integer.toHexString(all.values().hashCode()) + "\"";
            if (etag.equals(call.header("If-None-Match"))) {
                return new Reply(304, "", "application/json", Map.of("ETag", etag));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            all.flags().forEach(e -> out.add(ofrep(e, all.version())));
            return new Reply(200, Map.of("flags", out), "application/json", Map.of("ETag", etag));
        });
    }

    /** The agent whose flags are asked for: the caller; an admin names one with the targeting key. */
    private static String target(Principal caller, OfrepBody b) {
        Object key = b.context() == null ? null : b.context().get("targetingKey");
        if (key != null && !(key instanceof String)) {
            throw new OfrepError(400, "INVALID_CONTEXT", "targetingKey must be a string (an agent id).");
        }
        String targeting = (String) key;
        if (caller.isAdmin()) {
            if (targeting == null || targeting.isEmpty()) {
                throw new OfrepError(400, "TARGETING_KEY_MISSING", "An admin names the agent as context.targetingKey.");
            }
            return targeting;
        }
        if (targeting != null && !targeting.isEmpty() && !targeting.equals(caller.id())) {
            throw new OfrepError(
                    400,
                    "INVALID_CONTEXT",
                    "targetingKey " + targeting + " is not your agent id " + caller.id()
                            + "; use your own id or none.");
        }
        return caller.id();
    }

    private static Map<String, Object> ofrep(FlagService.Evaluation e, long version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", e.key());
        out.put("value", e.value());
        out.put("reason", e.reason().name());
        out.put("variant", e.variant());
        out.put("metadata", Map.of("type", e.type(), "flagsVersion", version));
        return out;
    }

    static Map<String, Object> evaluated(FlagService.Evaluated e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agentId", e.agentId());
        out.put("version", e.version());
        out.put("flags", e.values());
        out.put("details", e.flags());
        return out;
    }

    private static Flag.Type type(String type) {
        if (type == null) {
            throw new io.agenthub.error.HubException.InvalidRequest(
                    "type must be boolean, string or number.", Map.of("field", "type"));
        }
        try {
            return Flag.Type.valueOf(type.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.agenthub.error.HubException.InvalidRequest(
                    "type must be boolean, string or number; got '" + type + "'.", Map.of("field", "type"));
        }
    }

    /** An OFREP error answer. */
    private static final class OfrepError extends RuntimeException {
        final int status;
        final String code;

        OfrepError(int status, String code, String details) {
            super(details, null, false, false);
            this.status = status;
            this.code = code;
        }

        Reply reply(String key) {
            return new Reply(
                    status,
                    Map.of("key", key, "errorCode", code, "errorDetails", getMessage()),
                    "application/json",
                    Map.of());
        }
    }
}
