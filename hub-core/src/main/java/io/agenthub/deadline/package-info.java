/**
 * The deadline of the request a thread serves ({@link io.agenthub.deadline.RequestDeadline}): set by the protocol
 * adapters, renewed by the services after a deliberate wait, and honoured by stores that talk over the network.
 * Depends on nothing else of the hub.
 */
package io.agenthub.deadline;
