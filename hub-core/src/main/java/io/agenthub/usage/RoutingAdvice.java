package io.agenthub.usage;

/**
 * Which model to use for a task.
 *
 * @param price the model's price as configured ({@code match=input/output/cacheRead/cacheWrite} per million tokens),
 *     or empty if the price table has none for it
 */
public record RoutingAdvice(Complexity complexity, String model, String reason, String price) {}
