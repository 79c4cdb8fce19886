package io.agenthub.usage;

/**
 * What the hub tells an agent to do after a usage report, most urgent first: {@link #HALT}, {@link #TRANSFER},
 * {@link #SLOW_DOWN}, {@link #WARN}, {@link #OK}.
 */
public enum Directive {
    /** Carry on. */
    OK,
    /** The context passed the warn threshold: save a checkpoint soon and keep it small. */
    WARN,
    /** The fleet passed the throttle threshold: wait the recommended delay between model calls and new work. */
    SLOW_DOWN,
    /** The context passed the transfer threshold: save a checkpoint now and stop; a handoff carries the work on. */
    TRANSFER,
    /** The fleet or this agent passed its halt threshold: save a checkpoint and stop until an operator acknowledges. */
    HALT
}
