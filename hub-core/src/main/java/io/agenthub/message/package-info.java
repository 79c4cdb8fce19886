/**
 * Messages: group chat in channels, direct messages, mentions and notices, each with a cursor that only grows, read
 * with {@code after=} cursors, long-polls and server-sent events.
 */
package io.agenthub.message;
