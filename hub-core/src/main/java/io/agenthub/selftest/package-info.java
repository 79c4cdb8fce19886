/**
 * The self-test's results ({@code GET /api/tools-test}): each run's checks with status, latency and message. The
 * runner lives in the server, which can build the hub's services over scratch namespaces; this package holds the
 * records and the {@link io.agenthub.selftest.SelfTestStore} SPI.
 */
package io.agenthub.selftest;
