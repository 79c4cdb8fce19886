package io.agenthub.server.http;

import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Secrets;
import io.agenthub.error.HubException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Dashboard sessions as HTTP sees them: the session secret travels in an HttpOnly, SameSite=Strict cookie; the session
 * itself is a credential in the store ({@link AuthService#openSession}), so every hub node on the store accepts it and
 * a logout ends it everywhere.
 *
 * <p>CSRF: a request authenticated by the cookie may read ({@code GET}, {@code HEAD}) freely; anything else must carry
 * {@value #CSRF_HEADER} with the session's CSRF token, which only the page's own script can learn (it is answered to a
 * same-origin read of {@code /api/dashboard/session}), and must not be marked {@code Sec-Fetch-Site: cross-site}. The
 * token is derived from the session secret, so nothing more is stored.
 */
public final class DashboardSessions {
    /** The session cookie's name. */
    public static final String COOKIE = "hub_session";
    /** The header that carries the CSRF token on cookie-authenticated changes. */
    public static final String CSRF_HEADER = "X-Hub-CSRF";

    private final AuthService auth;
    private final Duration ttl;
    private final String cookiePath;

    /**
     * @param cookiePath the path under which people open the hub ({@code public-url}'s path), ending in {@code /}
     */
    public DashboardSessions(AuthService auth, Duration ttl, String cookiePath) {
        this.auth = auth;
        this.ttl = ttl;
        this.cookiePath = cookiePath;
    }

    /** A session just opened: the secret for the cookie, when it expires and its CSRF token. */
    public record Opened(String id, String secret, Instant expiresAt, String csrf) {}

    /** Opens a session for a viewer or admin. */
    public Opened open(Principal who, Instant now) {
        AuthService.Issued issued = auth.openSession(who, ttl);
        return new Opened(issued.id(), issued.secret(), now.plus(ttl), csrfToken(issued.secret()));
    }

    /** Ends the session of this cookie secret, on every node. */
    public boolean close(String secret) {
        return auth.closeSession(secret);
    }

    /** The principal of the session, or {@link HubException.Unauthenticated}. */
    public Principal principal(String secret) {
        return auth.session(secret);
    }

    /** The session cookie's secret in a request, or null. */
    public static String secret(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName()) && !c.getValue().isBlank()) {
                return c.getValue();
            }
        }
        return null;
    }

    /** The CSRF token bound to a session secret. */
    public static String csrfToken(String secret) {
        return Secrets.hash("csrf:" + secret).substring(0, 32);
    }

    /**
     * Refuses a cookie-authenticated change that does not prove it comes from the dashboard's own script.
     *
     * @throws HubException.Forbidden with what to do
     */
    static void checkCsrf(HttpServletRequest req, String secret) {
        String site = req.getHeader("Sec-Fetch-Site");
        String sent = req.getHeader(CSRF_HEADER);
        if ("cross-site".equalsIgnoreCase(site) || sent == null || !Secrets.equal(sent, csrfToken(secret))) {
            throw new HubException.Forbidden(
                    "csrf",
                    "A change made with the dashboard's session cookie needs the " + CSRF_HEADER
                            + " header from the dashboard page; reload the dashboard, or call the API with"
                            + " 'Authorization: Bearer <token>'.",
                    Map.of("header", CSRF_HEADER));
        }
    }

    /** The Set-Cookie value that stores a session for {@code ttl}. */
    public String cookie(Opened opened, boolean secure) {
        return COOKIE + "=" + opened.secret() + "; Path=" + cookiePath + "; Max-Age=" + ttl.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that clears the session cookie. */
    public String clearedCookie(boolean secure) {
        return COOKIE + "=; Path=" + cookiePath + "; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** True if the browser reached the hub over HTTPS, directly or through a proxy that says so. */
    public static boolean secure(HttpServletRequest req) {
        return req.isSecure() || "https".equalsIgnoreCase(req.getHeader("X-Forwarded-Proto"));
    }
}
