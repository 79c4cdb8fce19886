package io.agenthub.usage;

import java.util.Locale;
import java.util.Objects;

/**
 * The price of one model family, per token in nano-dollars: USD per million tokens times 1000, so that every price with
 * up to three decimals per million tokens is exact.
 *
 * @param match the lower-case text a model id must contain, e.g. {@code haiku} or {@code opus-4-1}; {@code *} matches
 *     every model
 */
public record ModelPrice(String match, long input, long output, long cacheRead, long cacheWrite) {
    public ModelPrice {
        Objects.requireNonNull(match, "match");
        match = match.strip().toLowerCase(Locale.ROOT);
        if (match.isEmpty()) {
            throw new IllegalArgumentException("a price names the model text it matches");
        }
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /** From USD per million tokens, e.g. {@code perMillion("sonnet", "3", "15", "0.30", "3.75")}. */
    public static ModelPrice perMillion(
            String match, String input, String output, String cacheRead, String cacheWrite) {
        return new ModelPrice(match, perToken(input), perToken(output), perToken(cacheRead), perToken(cacheWrite));
    }

    private static long perToken(String usdPerMillion) {
        long nanosPerMillion = Usd.parse(usdPerMillion);
        if (nanosPerMillion % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    "prices per million tokens have at most three decimals: '" + usdPerMillion + "'");
        }
        return nanosPerMillion / 1_000_000;
    }

    /** The cost of one call, in nano-dollars. */
    public long cost(ModelCall call) {
        return Math.addExact(
                Math.addExact(
                        Math.multiplyExact(call.inputTokens(), input), Math.multiplyExact(call.outputTokens(), output)),
                Math.addExact(
                        Math.multiplyExact(call.cacheReadTokens(), cacheRead),
                        Math.multiplyExact(call.cacheWriteTokens(), cacheWrite)));
    }

    /** USD per million tokens, as written in the configuration. */
    public String describe() {
        return match + "=" + million(input) + "/" + million(output) + "/" + million(cacheRead) + "/"
                + million(cacheWrite);
    }

    private static String million(long perToken) {
        return Usd.dollars(perToken * 1_000_000).stripTrailingZeros().toPlainString();
    }
}
