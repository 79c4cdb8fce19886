package io.agenthub.bench;

/** A simulated agent: its id, its bearer token, and its index, which picks its HTTP client. */
record SimAgent(int index, String id, String token) {}
