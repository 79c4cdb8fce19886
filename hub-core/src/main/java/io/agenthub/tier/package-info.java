/**
 * Graceful degradation: the deployment guide's four tiers (full, reduced, minimal, maintenance). Every request declares
 * its {@link io.agenthub.tier.Work} and {@link io.agenthub.tier.TierService#admit} refuses what the tier in force does
 * not allow, with a reason and Retry-After. The tier in force is the higher of the baseline an admin set and what firing
 * automatic rules demand; {@link io.agenthub.tier.TierStore} records every change.
 */
package io.agenthub.tier;
