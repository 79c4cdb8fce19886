package io.agenthub.server.http;

import io.agenthub.auth.Principal;
import io.agenthub.tier.Work;
import java.util.Map;

/**
 * What the {@link Router} calls around every request: one admission check before the handler (the degradation tier)
 * and one observation after the response (metrics, counters, trails, the hub's own failures). Both are the only such
 * hooks; routes contain no checks of their own.
 */
public interface RequestHook {
    /** Called after authentication, before the handler. Throw a {@link io.agenthub.error.HubException} to refuse. */
    void admit(Principal principal, Work work);

    /** Headers added to every response, e.g. the tier in force. */
    Map<String, String> headers();

    /** Called once per request after the response was written (or the stream ended). Must not throw. */
    void completed(Completion c);

    /**
     * One answered request.
     *
     * @param route the matched route as {@code METHOD /template}, or {@code unmatched}
     * @param principal the caller, or null (public route, or authentication failed)
     * @param code the problem code of an error answer, or null
     * @param waited true for long-polls ({@code wait=}) and event streams, whose duration is not a response time
     * @param failure the unexpected exception behind a 500, or null
     */
    record Completion(
            String route,
            Work work,
            Principal principal,
            int status,
            String code,
            long nanos,
            boolean waited,
            Throwable failure) {}

    /** A hook that admits everything and observes nothing. */
    RequestHook NONE = new RequestHook() {
        @Override
        public void admit(Principal principal, Work work) {}

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public void completed(Completion c) {}
    };
}
