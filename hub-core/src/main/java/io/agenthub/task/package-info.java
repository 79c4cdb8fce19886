/**
 * The work queue: tasks that admins and agents create and agents claim. A claim is a lease on the task with a fencing
 * token (from the same counter as lease tokens) and a TTL; the task's resources are leased in the same atomic step.
 * {@link io.agenthub.task.TaskStore} is the SPI whose every method is atomic; {@link io.agenthub.task.TaskService}
 * owns policy (who may claim, limits, retries) and the sentences that explain refusals.
 */
package io.agenthub.task;
