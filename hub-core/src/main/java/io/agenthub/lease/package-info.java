/**
 * Leases: the guide's claims, locks and zones as one concept. A lease is held on a resource name by one agent until it
 * expires; every grant carries a fencing token that only grows. {@link io.agenthub.lease.LeaseStore} is the SPI whose
 * every method is atomic; {@link io.agenthub.lease.LeaseService} owns policy and explanations.
 */
package io.agenthub.lease;
