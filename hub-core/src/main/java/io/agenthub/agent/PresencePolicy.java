package io.agenthub.agent;

import java.time.Duration;

/**
 * The guide's presence rules: agents heartbeat every {@code heartbeatInterval}; after {@code missedBeats} missed beats
 * an agent is stale; after {@code offlineAfter} without a call it is offline; and {@code leaseGrace} after it went
 * stale its leases are released.
 */
public record PresencePolicy(Duration heartbeatInterval, int missedBeats, Duration offlineAfter, Duration leaseGrace) {
    public PresencePolicy {
        if (missedBeats < 1) {
            throw new IllegalArgumentException("missedBeats must be at least 1");
        }
        if (offlineAfter.compareTo(staleAfter(heartbeatInterval, missedBeats)) < 0) {
            throw new IllegalArgumentException("offlineAfter must be at least heartbeatInterval * missedBeats");
        }
    }

    public static PresencePolicy defaults() {
        return new PresencePolicy(Duration.ofSeconds(60), 3, Duration.ofMinutes(15), Duration.ofMinutes(2));
    }

    public Duration staleAfter() {
        return staleAfter(heartbeatInterval, missedBeats);
    }

    private static Duration staleAfter(Duration interval, int beats) {
        return interval.multipliedBy(beats);
    }

    /** The presence that an agent last seen {@code sinceSeen} ago should have. */
    public Presence judge(Duration sinceSeen) {
        if (sinceSeen.compareTo(offlineAfter) >= 0) {
            return Presence.OFFLINE;
        }
        return sinceSeen.compareTo(staleAfter()) >= 0 ? Presence.STALE : Presence.ONLINE;
    }
}
