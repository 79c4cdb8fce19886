/**
 * The coordination drill's history ({@code GET /api/drills}): each run's steps with status, latency and score. The
 * runner lives in the server, which builds the hub's services on a scratch namespace of the hub's own backend; this
 * package holds the records and the {@link io.agenthub.drill.DrillStore} SPI.
 */
package io.agenthub.drill;
