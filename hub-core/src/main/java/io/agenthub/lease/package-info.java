/**
 * Leases: the guide's claims, locks and zones as one concept. A lease is held on a resource name by one agent until it
 * expires; every grant carries a fencing token that only grows. {@link io.agenthub.lease.LeaseStore} is the SPI whose
 * every method is atomic; {@link io.agenthub.lease.LeaseService} owns policy and explanations.
 * {@link io.agenthub.lease.ResourceNaming} makes resource names canonical, so that every spelling of a file is one
 * resource; anything else that names leased resources (handoffs, tasks) uses it too.
 */
package io.agenthub.lease;
