/**
 * The errors tool: agents and the hub report errors; reports group into issues by fingerprint with counts, first and
 * last seen, affected agents, a triage status and a bounded history of occurrences.
 * {@link io.agenthub.errorlog.ErrorLogStore} is the SPI; {@link io.agenthub.errorlog.ErrorLogService} owns limits,
 * fingerprints, the overview and the failure count that feeds the error rate. Named {@code errorlog} so that "error"
 * keeps one meaning in the code: a failed call.
 */
package io.agenthub.errorlog;
