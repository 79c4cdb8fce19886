/**
 * Messages: group chat in channels, direct messages, mentions and hub notices, each with a cursor that only grows, read
 * with {@code after=} cursors, long-polls and server-sent events. {@link io.agenthub.message.MessageStore} is the SPI:
 * it assigns cursors and fans each message out to its recipients' inboxes atomically.
 * {@link io.agenthub.message.MessageService} owns policy (names, sizes, mentions, who may write, retention) and the
 * waiting, which rests on {@link io.agenthub.message.MessageSignal}: a signal only says "look again", and readers always
 * re-read the store.
 */
package io.agenthub.message;
