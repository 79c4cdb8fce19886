/**
 * Usage, cost and budgets: agents report each model call ({@link io.agenthub.usage.UsageService}) and get a
 * {@link io.agenthub.usage.Directive} back; a {@link io.agenthub.usage.PriceTable} prices it; counters per agent, pool,
 * model and day ({@link io.agenthub.usage.UsageStore}) stay exact under concurrent reports; the
 * {@link io.agenthub.usage.BudgetService} raises the guide's daily alerts, throttles and halts; and the
 * {@link io.agenthub.usage.RoutingPolicy} advises which model suits a task.
 */
package io.agenthub.usage;
