/**
 * Handoffs: work passed from one agent to a named agent, a pool or anyone with a capability, with the leases that go
 * with it. Accepting is one atomic operation in which exactly one candidate wins and the listed leases move to it with
 * new fencing tokens. Transfers (an agent at its context limit) and reaped handoffs (a silent agent's leases) are
 * handoffs too. {@link io.agenthub.handoff.HandoffStore} is the SPI; {@link io.agenthub.handoff.HandoffService} owns
 * who may do what, limits, expiry and notices.
 */
package io.agenthub.handoff;
