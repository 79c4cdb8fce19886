package io.agenthub.agent;

import java.net.URI;

/**
 * Delivers a wake-up to an agent's own endpoint (the URL it registered with the {@value StallDetector#WAKE_URL_LABEL}
 * label). Implementations must not block the caller for long and must not throw: a failed wake is logged.
 */
@FunctionalInterface
public interface Waker {
    /** Does nothing. */
    Waker NONE = (agentId, url, reason) -> {};

    void wake(String agentId, URI url, String reason);
}
