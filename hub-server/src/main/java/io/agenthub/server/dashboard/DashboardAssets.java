package io.agenthub.server.dashboard;

import io.agenthub.error.HubException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * Serves the dashboard's files from the hub's jar: the pages, scripts and style under {@code /dashboard/} of the class
 * path and uPlot from its webjar. Nothing comes from elsewhere. Only the listed files exist; {@code /} is the overview,
 * which sends a browser without a valid session to {@code login.html} (relative, so it works under any path prefix).
 */
public final class DashboardAssets extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The uPlot version of the webjar in the pom. */
    public static final String UPLOT_VERSION = "1.6.30";

    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final Map<String, String[]> FILES = Map.ofEntries(
            Map.entry("/index.html", new String[] {"dashboard/index.html", "text/html; charset=utf-8"}),
            Map.entry("/login.html", new String[] {"dashboard/login.html", "text/html; charset=utf-8"}),
            Map.entry("/app.js", new String[] {"dashboard/app.js", "text/javascript; charset=utf-8"}),
            Map.entry("/dom.js", new String[] {"dashboard/dom.js", "text/javascript; charset=utf-8"}),
            Map.entry("/views.js", new String[] {"dashboard/views.js", "text/javascript; charset=utf-8"}),
            Map.entry("/charts.js", new String[] {"dashboard/charts.js", "text/javascript; charset=utf-8"}),
            Map.entry("/login.js", new String[] {"dashboard/login.js", "text/javascript; charset=utf-8"}),
            Map.entry("/style.css", new String[] {"dashboard/style.css", "text/css; charset=utf-8"}),
            Map.entry("/vendor/uPlot.esm.js", new String[] {UPLOT + "uPlot.esm.js", "text/javascript; charset=utf-8"}),
            Map.entry("/vendor/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"}));

    private final transient Function<HttpServletRequest, Boolean> signedIn;
    private final transient Map<String, Asset> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param signedIn whether a request carries a valid dashboard session */
    public DashboardAssets(Function<HttpServletRequest, Boolean> signedIn) {
        this.signedIn = signedIn;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            resp.setHeader("Allow", "GET, HEAD");
            problem(resp, req, 405, "method_not_allowed", "The dashboard's files are only read (GET).");
            return;
        }
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.isEmpty() || path.equals("/")) {
            if (!signedIn(req)) {
                resp.setStatus(303);
                resp.setHeader("Location", "login.html");
                resp.setHeader("Cache-Control", "no-store");
                return;
            }
            path = "/index.html";
        }
        String[] file = FILES.get(path);
        if (file == null) {
            problem(resp, req, 404, "no_route", "No such page. The dashboard is at / of the hub, the API under /api.");
            return;
        }
        Asset asset = cache.computeIfAbsent(file[0], DashboardAssets::read);
        resp.setContentType(file[1]);
        resp.setHeader("Content-Security-Policy", SecurityHeaders.DASHBOARD_POLICY);
        // Pages are always fetched anew (they decide who sees what); scripts and styles come with the jar and are
        // revalidated by their tag, so a reload costs a 304 per file rather than the file.
        boolean page = file[1].startsWith("text/html");
        resp.setHeader("Cache-Control", page ? "no-store" : "no-cache");
        if (!page) {
            resp.setHeader("ETag", asset.tag());
            if (asset.tag().equals(req.getHeader("If-None-Match"))) {
                resp.setStatus(304);
                return;
            }
        }
        resp.setStatus(200);
        byte[] bytes = asset.bytes();
        resp.setContentLength(bytes.length);
        if (method.equals("GET")) {
            try (OutputStream out = resp.getOutputStream()) {
                out.write(bytes);
            }
        }
    }

    private boolean signedIn(HttpServletRequest req) {
        try {
            return signedIn.apply(req);
        } catch (HubException e) {
            return false;
        }
    }

    /** A file's bytes and its entity tag (a hash of the bytes). */
    private record Asset(byte[] bytes, String tag) {}

    private static Asset read(String resource) {
        try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The hub jar lacks " + resource + "; rebuild it.");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Errors are problem+json here too, like every other error of the hub. */
    private static void problem(
            HttpServletResponse resp, HttpServletRequest req, int status, String code, String detail)
            throws IOException {
        byte[] bytes = io.agenthub.server.wire.JsonCodec.MAPPER.writeValueAsBytes(
                io.agenthub.server.wire.Problems.of(status, code, detail, req.getRequestURI())
                        .body());
        resp.setStatus(status);
        resp.setContentType("application/problem+json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        if (!req.getMethod().equals("HEAD")) {
            try (OutputStream out = resp.getOutputStream()) {
                out.write(bytes);
            }
        }
    }
}
