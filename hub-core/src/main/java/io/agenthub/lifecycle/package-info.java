/**
 * The seam between the domain services and the agent lifecycle: {@link io.agenthub.lifecycle.Activity} carries
 * progress (for stall detection) and work admission (for budgets) without the domains depending on each other.
 */
package io.agenthub.lifecycle;
