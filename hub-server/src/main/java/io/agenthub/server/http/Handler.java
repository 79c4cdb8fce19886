package io.agenthub.server.http;

/** One route's logic: parse the call, call a service, return what to render. No decisions beyond that. */
@FunctionalInterface
public interface Handler {
    Reply handle(Call call) throws Exception;
}
