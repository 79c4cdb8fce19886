package io.agenthub.message;

import java.time.Duration;

/**
 * Message limits and retention.
 *
 * @param maxTextChars the longest message text; longer is refused as too large
 * @param retention how long messages are kept
 * @param perChannelCap how many chat messages each channel keeps at most (the newest)
 * @param defaultLimit how many messages a read returns when the request names no limit
 * @param maxLimit the most messages one read may ask for
 * @param maxWait the longest a read may wait for new messages
 */
public record MessagePolicy(
        int maxTextChars, Duration retention, int perChannelCap, int defaultLimit, int maxLimit, Duration maxWait) {
    public MessagePolicy {
        if (maxTextChars < 1) {
            throw new IllegalArgumentException("maxTextChars must be at least 1");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        if (perChannelCap < 1) {
            throw new IllegalArgumentException("perChannelCap must be at least 1");
        }
        if (defaultLimit < 1 || maxLimit < defaultLimit) {
            throw new IllegalArgumentException("need 1 <= defaultLimit <= maxLimit");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative");
        }
    }

    public static MessagePolicy defaults() {
        return new MessagePolicy(16_384, Duration.ofDays(7), 10_000, 100, 500, Duration.ofSeconds(30));
    }
}
