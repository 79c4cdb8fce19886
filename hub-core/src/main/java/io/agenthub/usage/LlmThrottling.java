package io.agenthub.usage;

import io.agenthub.ratelimit.Hold;
import io.agenthub.ratelimit.Rate;
import io.agenthub.ratelimit.RateLimitStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's rule for LLM API throttling (the guide's "LLM API throttling: graceful degradation"). Agents report the
 * provider's 429 (rate limited) and 529 (overloaded) answers through error reports or usage reports. Each report takes
 * a token from one fleet-wide bucket in the shared rate-limit store (so every hub node counts the same reports), sized
 * by {@code llm-throttle-rate}: a burst the fleet may report at once and a rate a minute it may keep up. A report that
 * finds the bucket empty means the fleet is past the rate: the hub backs off on its own for {@code llm-backoff-hold}
 * from that report, and while it does, every agent is told {@code slow_down} with {@code llm-backoff-delay} (in usage
 * receipts and the {@code Hub-Directive}/{@code Hub-Delay-Seconds} headers of work it takes). When the reports stop, or
 * fall under the rate, the back-off ends by itself one hold after the last report past the rate.
 *
 * <p>The back-off is fleet-wide: it is one {@link Hold} in the same store, started by the first report past the rate on
 * any node (which alone announces it), extended by every later one, and ended by the first node that finds it over
 * (which alone announces the end). Each node reads the hold at most once a second ({@link #FRESH}) for the directives
 * of the requests it serves, so every node tells its agents {@code slow_down} within a second of the start. A store
 * that cannot count (unreachable) leaves the state as it is: throttling reports never fail a request.
 */
public final class LlmThrottling {
    /** The key of the fleet-wide bucket in the rate-limit store. */
    public static final String BUCKET = "llm-throttling:fleet";

    /** The key of the fleet-wide back-off's hold in the rate-limit store. */
    public static final String HOLD = "llm-backoff:fleet";
    /** How old a node's view of the back-off may be. */
    static final Duration FRESH = Duration.ofSeconds(1);

    /** The rule switched off: reports are counted nowhere and the hub never backs off. */
    public static final LlmThrottling OFF = new LlmThrottling(
            RateLimitStore.unlimited(), Rate.OFF, Duration.ZERO, Duration.ZERO, Instant::now, t -> {});

    private static final Logger LOG = LoggerFactory.getLogger(LlmThrottling.class);
    private static final Pattern MENTION = Pattern.compile(
            "\\b(429|529)\\b|rate[ _-]?limit(ed)?[ _-]?(error)?|overloaded([ _-]error)?|too many requests",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CODE = Pattern.compile("\\b(429|529)\\b");

    private final RateLimitStore store;
    private final Rate rate;
    private final Duration delay;
    private final Duration hold;
    private final InstantSource clock;
    private final Consumer<String> announce;
    /** This node's last read of the hold: the hold (null: none) and when it was read. */
    private record View(Hold hold, Instant readAt) {}

    private volatile View view;

    /** What the rule says now: whether the hub backs off, until when, and why. */
    public record State(boolean backingOff, Instant until, Duration delay, long reportsPastRate, String reason) {}

    /**
     * @param rate the throttling reports the fleet tolerates (per minute, burst); {@link Rate#OFF} switches the rule off
     * @param delay the delay agents are told to keep between model calls while the hub backs off
     * @param hold how long the back-off lasts after the last report past the rate
     * @param announce posts a hub notice in group chat when the back-off starts and ends
     */
    public LlmThrottling(
            RateLimitStore store,
            Rate rate,
            Duration delay,
            Duration hold,
            InstantSource clock,
            Consumer<String> announce) {
        this.store = store;
        this.rate = rate;
        this.delay = delay;
        this.hold = hold;
        this.clock = clock;
        this.announce = announce;
    }

    /** Whether an HTTP status from a model provider means throttling or overload (429, 529). */
    public static boolean isThrottling(int status) {
        return status == 429 || status == 529;
    }

    /**
     * The provider status an error report names, if it is throttling: a tag {@code status}, {@code http_status} or
     * {@code code} of 429 or 529, or a title or message that says so (429, 529, rate limit, overloaded, too many
     * requests). The status is 429 unless 529 or overloaded is named.
     */
    public static OptionalInt statusOf(String title, String message, Map<String, String> tags) {
        for (String key : new String[] {"status", "http_status", "httpStatus", "code"}) {
            String v = tags.get(key);
            if (v != null && CODE.matcher(v.strip()).matches()) {
                return OptionalInt.of(Integer.parseInt(v.strip()));
            }
        }
        String text = (title == null ? "" : title) + "\n" + (message == null ? "" : message);
        if (!MENTION.matcher(text).find()) {
            return OptionalInt.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return OptionalInt.of(lower.contains("529") || lower.contains("overloaded") ? 529 : 429);
    }

    /**
     * Counts one throttling report of {@code agentId} ({@code status} 429 or 529; anything else is ignored). Never
     * throws.
     */
    public void report(String agentId, int status) {
        if (!rate.limited() || !isThrottling(status)) {
            return;
        }
        Instant now = clock.instant();
        Duration wait;
        try {
            wait = store.take(BUCKET, rate, now);
        } catch (RuntimeException e) {
            LOG.debug("Could not count a throttling report: {}", e.getMessage());
            return;
        }
        if (wait.isZero()) {
            return;
        }
        Hold h;
        try {
            h = store.extendHold(HOLD, now.plus(hold), now);
        } catch (RuntimeException e) {
            LOG.debug("Could not extend the LLM back-off: {}", e.getMessage());
            return;
        }
        view = new View(h, now);
        if (h.started()) {
            String text = "LLM throttling past " + rate.perMinute() + " report(s) a minute (burst " + rate.burst()
                    + "; the last from " + agentId + ", status " + status + "): every agent is told slow_down, "
                    + delay.toSeconds() + " s between model calls, until the reports stay under the rate for "
                    + hold.toSeconds() + " s.";
            LOG.warn(text);
            announce.accept(text);
        }
    }

    /** The delay agents are told to keep while the hub backs off; empty otherwise (and once, the end is announced). */
    public Optional<Duration> backOff() {
        return state().backingOff() ? Optional.of(delay) : Optional.empty();
    }

    /** The rule's state now, fleet-wide, as read from the store at most {@link #FRESH} ago. */
    public State state() {
        if (!rate.limited()) {
            return new State(false, null, Duration.ZERO, 0, "");
        }
        Instant now = clock.instant();
        View v = view;
        if (v == null || !now.isBefore(v.readAt().plus(FRESH))) {
            v = read(v, now);
        }
        Hold h = v.hold();
        if (h != null && !h.holdsAt(now)) {
            end(now);
            h = read(v, now).hold();
        }
        return h == null || !h.holdsAt(now)
                ? new State(false, null, Duration.ZERO, 0, "")
                : new State(true, h.until(), delay, h.count(), reason());
    }

    /** Reads the hold; an unreachable store leaves the last view as it was. */
    private View read(View last, Instant now) {
        try {
            View v = new View(store.hold(HOLD).orElse(null), now);
            view = v;
            return v;
        } catch (RuntimeException e) {
            LOG.debug("Could not read the LLM back-off: {}", e.getMessage());
            return last == null ? new View(null, now) : last;
        }
    }

    /** Ends the hold if it is over; the one node that ends it announces it. */
    private void end(Instant now) {
        try {
            if (!store.endHold(HOLD, now)) {
                return;
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not end the LLM back-off: {}", e.getMessage());
            return;
        }
        String text = "LLM throttling reports stayed under " + rate.perMinute() + " a minute for " + hold.toSeconds()
                + " s: the back-off is over, agents carry on at full speed.";
        LOG.info(text);
        announce.accept(text);
    }

    private String reason() {
        return "Agents reported LLM throttling (429/529) past " + rate.perMinute() + " a minute: wait "
                + delay.toSeconds() + " s between model calls and take new work only when you must.";
    }
}
