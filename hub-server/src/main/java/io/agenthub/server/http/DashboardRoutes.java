package io.agenthub.server.http;

import io.agenthub.audit.AuditLog;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Principal;
import io.agenthub.error.HubException;
import io.agenthub.ops.Counters;
import io.agenthub.server.ops.ChartCounters;
import io.agenthub.tier.Work;
import io.agenthub.usage.BudgetService;
import io.agenthub.usage.UsageService;
import io.agenthub.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The dashboard's own routes: {@code /api/dashboard/session} (log in with a viewer or admin token or a one-time link
 * code, who am I, log out), {@code /api/dashboard/links} (an admin's one-time login link), {@code
 * /api/dashboard/events} (the page's one event stream, {@link DashboardStream}) and {@code /api/dashboard/series} (the
 * charts' aggregates). Everything else the page shows comes from the ordinary API routes.
 */
public final class DashboardRoutes {
    /** How long a login link printed by {@code hub dashboard} stays valid. */
    public static final Duration LINK_TTL = Duration.ofMinutes(5);

    /**
     * The charts' ranges and their buckets. The one-minute counters are kept two days ({@code OpsTasks#housekeeping}),
     * so no range is longer.
     */
    private static final Map<String, Duration[]> RANGES = Map.of(
            "1h", new Duration[] {Duration.ofHours(1), Duration.ofMinutes(5)},
            "6h", new Duration[] {Duration.ofHours(6), Duration.ofMinutes(15)},
            "24h", new Duration[] {Duration.ofHours(24), Duration.ofHours(1)},
            "48h", new Duration[] {Duration.ofHours(48), Duration.ofHours(1)});

    private final AuthService auth;
    private final DashboardSessions sessions;
    private final DashboardStream stream;
    private final AuditLog audit;
    private final Counters counters;
    private final UsageService usage;
    private final BudgetService budgets;
    private final Supplier<String> publicUrl;
    private final InstantSource clock;

    record LoginBody(String token, String code) {}

    public DashboardRoutes(
            AuthService auth,
            DashboardSessions sessions,
            DashboardStream stream,
            AuditLog audit,
            Counters counters,
            UsageService usage,
            BudgetService budgets,
            Supplier<String> publicUrl,
            InstantSource clock) {
        this.auth = auth;
        this.sessions = sessions;
        this.stream = stream;
        this.audit = audit;
        this.counters = counters;
        this.usage = usage;
        this.budgets = budgets;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    public void register(Router r) {
        r.post("/api/dashboard/session", Access.PUBLIC, Work.READ, this::login);
        r.get("/api/dashboard/session", Access.READ, call -> {
            String secret = DashboardSessions.secret(call.request());
            boolean cookie = call.header("Authorization") == null && secret != null;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", call.principal().id());
            out.put("role", call.principal().role());
            out.put("csrf", cookie ? DashboardSessions.csrfToken(secret) : null);
            return Reply.ok(out);
        });
        r.post("/api/dashboard/logout", Access.READ, Work.READ, call -> {
            String secret = DashboardSessions.secret(call.request());
            boolean closed = sessions.close(secret);
            audit.record(call.principal().id(), "dashboard.logout", "", Map.of());
            return new Reply(
                    200,
                    Map.of("loggedOut", closed),
                    "application/json",
                    Map.of("Set-Cookie", sessions.clearedCookie(DashboardSessions.secure(call.request()))));
        });
        r.post("/api/dashboard/links", Access.ADMIN, Work.READ, call -> {
            AuthService.Issued link = auth.issueLoginLink(call.principal(), LINK_TTL);
            audit.record(call.principal().id(), "dashboard.link", link.id(), Map.of());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("url", publicUrl.get() + "login.html#code=" + link.secret());
            out.put("expiresAt", clock.instant().plus(LINK_TTL));
            return Reply.created(out);
        });
        r.get("/api/dashboard/events", Access.READ, stream::open);
        r.get("/api/dashboard/series", Access.READ, this::series);
    }

    private Reply login(Call call) {
        String type = call.header("Content-Type");
        // A form post from another site cannot send JSON without asking first (CORS), so this keeps logins same-site.
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HubException.InvalidRequest(
                    "Send the login as JSON: {\"token\": \"...\"} or {\"code\": \"...\"}.");
        }
        LoginBody b = call.body(LoginBody.class);
        Principal who;
        if (b.code() != null && !b.code().isBlank()) {
            who = auth.redeemLoginLink(b.code());
        } else if (b.token() != null && !b.token().isBlank()) {
            who = auth.authenticate(b.token());
        } else {
            throw new HubException.InvalidRequest("token is required: a viewer or admin token.");
        }
        DashboardSessions.Opened opened = sessions.open(who, clock.instant());
        audit.record(
                who.id(),
                "dashboard.login",
                opened.id(),
                Map.of(
                        "role",
                        who.role().name().toLowerCase(Locale.ROOT),
                        "with",
                        b.code() != null ? "link" : "token"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", who.id());
        out.put("role", who.role());
        out.put("csrf", opened.csrf());
        out.put("expiresAt", opened.expiresAt());
        return new Reply(
                200,
                out,
                "application/json",
                Map.of("Set-Cookie", sessions.cookie(opened, DashboardSessions.secure(call.request()))));
    }

    /**
     * {@code ?range=1h|6h|24h|48h}: per bucket, requests, server errors, error rate, lease grants and conflicts, model
     * tokens and cost per hour by pool and by model, and the mean queue depth of every pool; and {@code ?days=1..31}:
     * model cost and tokens per day by pool and by model from the usage store (kept longer than the counters).
     */
    private Reply series(Call call) {
        String range = call.query("range") == null ? "1h" : call.query("range");
        Duration[] spec = RANGES.get(range);
        if (spec == null) {
            throw new HubException.InvalidRequest("range must be 1h, 6h, 24h or 48h.", Map.of("field", "range"));
        }
        long days = call.queryLong("days", 7);
        if (days < 1 || days > 31) {
            throw new HubException.InvalidRequest("days must be between 1 and 31.", Map.of("field", "days"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("range", range);
        out.put("counters", counters(spec[0], spec[1]));
        out.put("usage", usage((int) days));
        return Reply.ok(out);
    }

    private Map<String, Object> counters(Duration length, Duration step) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant start = end.minus(length);
        int buckets = (int) (length.toSeconds() / step.toSeconds());
        double perHour = 3600.0 / step.toSeconds();
        List<Long> t = new ArrayList<>();
        List<Long> requests = new ArrayList<>();
        List<Long> errors = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        List<Long> grants = new ArrayList<>();
        List<Long> conflicts = new ArrayList<>();
        Map<String, List<Object>> tokensByPool = new TreeMap<>();
        Map<String, List<Object>> tokensByModel = new TreeMap<>();
        Map<String, List<Object>> costByPool = new TreeMap<>();
        Map<String, List<Object>> costByModel = new TreeMap<>();
        Map<String, List<Object>> depthByPool = new TreeMap<>();
        counters.flush();
        for (Instant from = start; from.isBefore(end); from = from.plus(step)) {
            Counters.Window w = counters.between(from, from.plus(step));
            int index = t.size();
            t.add(from.getEpochSecond());
            requests.add(w.get(Counters.REQUESTS));
            errors.add(w.get(Counters.SERVER_ERRORS));
            rate.add(w.errorRate());
            grants.add(w.get(Counters.LEASE_GRANTS));
            conflicts.add(w.get(Counters.LEASE_CONFLICTS));
            ChartCounters.Usage u = ChartCounters.usage(w);
            put(tokensByPool, u.tokensByPool(), index, buckets, v -> Math.round(v.longValue() * perHour));
            put(tokensByModel, u.tokensByModel(), index, buckets, v -> Math.round(v.longValue() * perHour));
            put(costByPool, u.costUsdByPool(), index, buckets, v -> v.doubleValue() * perHour);
            put(costByModel, u.costUsdByModel(), index, buckets, v -> v.doubleValue() * perHour);
            put(depthByPool, ChartCounters.queueDepth(w), index, buckets, v -> v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stepSeconds", step.toSeconds());
        out.put("t", t);
        out.put("requests", requests);
        out.put("serverErrors", errors);
        out.put("errorRate", rate);
        out.put("leaseGrants", grants);
        out.put("leaseConflicts", conflicts);
        out.put("tokensPerHourByPool", tokensByPool);
        out.put("tokensPerHourByModel", tokensByModel);
        out.put("costUsdPerHourByPool", costByPool);
        out.put("costUsdPerHourByModel", costByModel);
        out.put("queueDepthByPool", depthByPool);
        return out;
    }

    /** Sets bucket {@code index} of each key's series (zeros elsewhere) to its value, converted. */
    private static <V extends Number> void put(
            Map<String, List<Object>> series, Map<String, V> values, int index, int buckets, Function<V, Object> as) {
        values.forEach((k, v) -> slot(series, k, buckets).set(index, as.apply(v)));
    }

    private Map<String, Object> usage(int days) {
        LocalDate today = LocalDate.parse(budgets.today());
        List<String> day = new ArrayList<>();
        Map<String, List<Object>> costByPool = new TreeMap<>();
        Map<String, List<Object>> tokensByModel = new TreeMap<>();
        for (int i = days - 1; i >= 0; i--) {
            String d = today.minusDays(i).toString();
            UsageSummary s = usage.summary(d, d, null, null);
            int index = day.size();
            day.add(d);
            for (UsageSummary.Line l : s.byPool()) {
                slot(costByPool, l.key().isEmpty() ? "(no pool)" : l.key(), days)
                        .set(index, l.costUsd());
            }
            for (UsageSummary.Line l : s.byModel()) {
                slot(tokensByModel, l.key(), days)
                        .set(index, l.inputTokens() + l.outputTokens() + l.cacheReadTokens() + l.cacheWriteTokens());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("days", day);
        out.put("costUsdByPool", costByPool);
        out.put("tokensByModel", tokensByModel);
        return out;
    }

    private static List<Object> slot(Map<String, List<Object>> series, String key, int days) {
        return series.computeIfAbsent(key, k -> {
            List<Object> zeros = new ArrayList<>();
            for (int i = 0; i < days; i++) {
                zeros.add(0);
            }
            return zeros;
        });
    }
}
