package io.agenthub.server;

import io.agenthub.deadline.RequestDeadline;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Gives every HTTP request (API, hooks, metrics, MCP) one {@link RequestDeadline} from its arrival, the
 * {@code redis-request-budget}: the store's calls share it, and a call that would start after it is refused with 503
 * and Retry-After instead of adding one more timeout to the request.
 */
final class RequestBudget implements Filter {
    private final Duration budget;

    RequestBudget(Duration budget) {
        this.budget = budget;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try (RequestDeadline.Scope ignored = RequestDeadline.start(budget)) {
            chain.doFilter(request, response);
        }
    }
}
