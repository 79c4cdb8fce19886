/**
 * Checkpoints: an agent's saved working state (task, progress, decisions, blockers, pending work, files touched and a
 * context summary), so that it, or its successor after a context reset, can resume. Each save is a new version per
 * agent; the newest few are kept. {@link io.agenthub.checkpoint.CheckpointStore} is the SPI;
 * {@link io.agenthub.checkpoint.CheckpointService} owns limits and who may read whose checkpoints.
 */
package io.agenthub.checkpoint;
