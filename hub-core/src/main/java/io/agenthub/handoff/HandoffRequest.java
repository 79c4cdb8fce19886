package io.agenthub.handoff;

import java.util.List;

/**
 * What an agent sends to hand work over.
 *
 * @param to an agent id, {@code agent:ID}, {@code pool:NAME}, {@code capability:NAME} or {@code any}
 * @param leases resources of the caller's active leases that move to the recipient on accept
 * @param allLeases pass on every lease the caller holds (in addition to {@code leases})
 * @param fromCheckpoint fill the title, context, next steps and files that are left empty from the caller's latest
 *     checkpoint
 */
public record HandoffRequest(
        String to,
        String title,
        String context,
        List<String> nextSteps,
        List<String> files,
        List<String> leases,
        boolean allLeases,
        boolean fromCheckpoint) {
    public HandoffRequest {
        nextSteps = nextSteps == null ? List.of() : nextSteps;
        files = files == null ? List.of() : files;
        leases = leases == null ? List.of() : leases;
    }
}
