/**
 * The hub's single error family, {@link io.agenthub.error.HubException}. Services and stores throw only these; adapters
 * (HTTP problem+json, MCP tool results) map each kind in one place.
 */
package io.agenthub.error;
