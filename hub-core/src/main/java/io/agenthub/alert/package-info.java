/**
 * Alerts: a rule engine that evaluates conditions on every pass (pending, firing, resolved, with a {@code for} hold),
 * records transitions with a compare-and-set in the shared {@link io.agenthub.alert.AlertStore}, and delivers each
 * firing and resolution once to the {@link io.agenthub.alert.AlertNotifier}s (group chat, webhooks). Rules may demand a
 * degradation tier while they fire.
 */
package io.agenthub.alert;
