package io.agenthub.tier;

import java.time.Duration;
import java.util.Objects;

/**
 * How tiers restrict work.
 *
 * @param coreLabel the label ({@code key=value}) that marks core agents, which keep taking new work in tier 2
 * @param retryAfter what refusals tell clients to wait
 * @param designatedAgent the agent that keeps working in tier 3 when an automatic rule or an admin names none; empty
 *     for none
 * @param refresh how long a node may serve a cached tier before it reads the store again (other nodes' changes take
 *     effect within this time)
 */
public record TierPolicy(String coreLabel, Duration retryAfter, String designatedAgent, Duration refresh) {
    public TierPolicy {
        Objects.requireNonNull(coreLabel, "coreLabel");
        if (!coreLabel.contains("=")) {
            throw new IllegalArgumentException("coreLabel must be key=value");
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        designatedAgent = designatedAgent == null ? "" : designatedAgent;
        Objects.requireNonNull(refresh, "refresh");
    }

    public static TierPolicy defaults() {
        return new TierPolicy("core=true", Duration.ofSeconds(60), "", Duration.ofSeconds(2));
    }

    String coreKey() {
        return coreLabel.substring(0, coreLabel.indexOf('='));
    }

    String coreValue() {
        return coreLabel.substring(coreLabel.indexOf('=') + 1);
    }
}
