package io.agenthub.usage;

/**
 * One model call as an agent reports it.
 *
 * @param model the model id as the provider names it, e.g. {@code claude-sonnet-4-5}
 * @param contextTokens the agent's context size after the call, or null if not reported
 */
public record ModelCall(
        String model,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        Long contextTokens) {}
