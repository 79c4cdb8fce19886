package io.agenthub.server.dashboard;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every response of the hub, API and dashboard alike: no MIME sniffing, no framing, no referrer,
 * and a Content-Security-Policy. The dashboard's policy allows only the hub's own scripts, styles and connections (no
 * inline script or style); the API's allows nothing at all, since its answers are data, never pages.
 */
public final class SecurityHeaders implements Filter {
    /** The policy of the dashboard's pages and assets. */
    public static final String DASHBOARD_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
    /** The policy of everything else (JSON, event streams, metrics). */
    public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse resp = (HttpServletResponse) response;
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        resp.setHeader("Content-Security-Policy", API_POLICY);
        chain.doFilter(request, response);
    }
}
