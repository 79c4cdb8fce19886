/**
 * What the protocol adapters share, below all of them: the JSON codec, the one mapping of {@code HubException} to
 * problem+json, the draining of unread request bodies, and the parsing of values both accept (such as {@code since}).
 * It imports no adapter ({@code http}, {@code mcp}, {@code cli}) and no part of the composition root.
 */
package io.agenthub.server.wire;
