package io.agenthub.ratelimit;

import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Admits calls through token buckets: one per agent and {@link Kind}, and one per client address for calls without a
 * valid token. The admin is never limited. Refusals are {@link HubException.RateLimited} (429 with Retry-After) with a
 * sentence naming the limit and its setting. One store operation per admitted or refused call, nothing else.
 */
public final class RateLimiter {
    /** What kind of call a bucket counts; {@link #setting()} names the setting that sizes it. */
    public enum Kind {
        WRITES("writes", "writes"),
        READS("reads", "reads"),
        CHAT("chat", "chat messages and direct messages"),
        MEMORIES("memories", "memory writes"),
        ERRORS("errors", "error reports"),
        MCP("mcp", "MCP calls"),
        ANONYMOUS("anonymous", "calls without a valid token");

        private final String key;
        private final String what;

        Kind(String key, String what) {
            this.key = key;
            this.what = what;
        }

        public String key() {
            return key;
        }

        /** The setting that sizes this kind's buckets, e.g. {@code rate-limit-chat}. */
        public String setting() {
            return "rate-limit-" + key;
        }
    }

    /** No limits at all, for tests and tools that build services without a limiter. */
    public static final RateLimiter NONE =
            new RateLimiter(RateLimitStore.unlimited(), Map.of(), InstantSource.system());

    private final RateLimitStore store;
    private final Map<Kind, Rate> rates;
    private final InstantSource clock;
    private volatile BiConsumer<Kind, String> refused = (k, who) -> {};

    /** @param rates per kind; a kind that is missing or {@link Rate#OFF} is not limited */
    public RateLimiter(RateLimitStore store, Map<Kind, Rate> rates, InstantSource clock) {
        this.store = store;
        this.rates = rates.isEmpty() ? Map.of() : new EnumMap<>(rates);
        this.clock = clock;
    }

    /** Told of every refusal: the kind and the agent id or client address (for metrics and security events). */
    public RateLimiter onRefused(BiConsumer<Kind, String> listener) {
        this.refused = listener;
        return this;
    }

    public Rate rate(Kind kind) {
        return rates.getOrDefault(kind, Rate.OFF);
    }

    /** Admits one call of {@code kind} by {@code caller}; the admin always passes. */
    public void admit(Principal caller, Kind kind) {
        if (caller == null || caller.isAdmin()) {
            return;
        }
        take("a:" + caller.id(), caller.id(), "Agent " + caller.id(), kind);
    }

    /** Admits one call without a valid token from {@code address}. */
    public void admitAnonymous(String address) {
        take("ip:" + address, address, "Client address " + address, Kind.ANONYMOUS);
    }

    private void take(String subject, String who, String label, Kind kind) {
        Rate rate = rate(kind);
        if (!rate.limited()) {
            return;
        }
        Duration wait = store.take(kind.key + ":" + subject, rate, clock.instant());
        if (wait.isZero()) {
            return;
        }
        refused.accept(kind, who);
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        throw new HubException.RateLimited(
                label + " sent more " + kind.what + " than its limit of " + rate.perMinute() + " a minute (bursts of "
                        + rate.burst() + "). Retry after " + seconds + " s and slow down; an admin can raise "
                        + kind.setting() + " if this is honest load.",
                Duration.ofSeconds(seconds));
    }
}
