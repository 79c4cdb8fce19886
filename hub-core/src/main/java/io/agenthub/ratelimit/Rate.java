package io.agenthub.ratelimit;

import java.time.Duration;

/**
 * The shape of a token bucket: it refills continuously at {@code perMinute} tokens a minute and holds at most
 * {@code burst}, so a caller may make {@code burst} calls at once and then {@code perMinute} a minute. A rate of 0 a
 * minute means no limit.
 */
public record Rate(int perMinute, int burst) {
    /** No limit. */
    public static final Rate OFF = new Rate(0, 0);

    public Rate {
        if (perMinute < 0 || burst < 0 || (perMinute > 0 && burst < 1)) {
            throw new IllegalArgumentException("a rate needs perMinute >= 0 and, when limited, a burst of at least 1");
        }
    }

    /** Parses {@code PER_MINUTE,BURST} or {@code PER_MINUTE} (burst = per minute); {@code 0} is no limit. */
    public static Rate parse(String text) {
        String[] parts = text.strip().split(",");
        if (parts.length > 2) {
            throw new IllegalArgumentException("a rate is PER_MINUTE,BURST such as 120,60");
        }
        int per = Integer.parseInt(parts[0].strip());
        int burst = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : per;
        return per == 0 ? OFF : new Rate(per, burst);
    }

    public boolean limited() {
        return perMinute > 0;
    }

    /** Tokens added per millisecond. */
    public double perMilli() {
        return perMinute / 60_000.0;
    }

    /** How long an empty bucket takes to fill: after that, an untouched bucket is as good as new. */
    public Duration fillTime() {
        return Duration.ofMillis((long) Math.ceil(burst / perMilli()));
    }
}
