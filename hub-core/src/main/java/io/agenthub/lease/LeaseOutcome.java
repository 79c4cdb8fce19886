package io.agenthub.lease;

import java.time.Instant;

/**
 * The result of a renew or release: whether it was applied, and the resource's latest grant (after the change, or as
 * it stands if nothing changed) so that a refusal can say why.
 *
 * @param applied true if the call changed the lease
 * @param latest the most recent grant on the resource, or null if it was never leased (or long purged)
 * @param releasedAt when {@code latest} was released, or null if it was not
 */
public record LeaseOutcome(boolean applied, Lease latest, Instant releasedAt) {}
