package io.agenthub.server.ops;

import io.agenthub.agent.Agent;
import io.agenthub.agent.AgentService;
import io.agenthub.agent.LabelPolicy;
import io.agenthub.audit.AuditEvent;
import io.agenthub.audit.AuditLog;
import io.agenthub.audit.SecurityEvent;
import io.agenthub.audit.SecurityEvent.Kind;
import io.agenthub.audit.SecurityEvents;
import io.agenthub.auth.AuthService;
import io.agenthub.auth.Credential;
import io.agenthub.auth.Principal;
import io.agenthub.auth.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The safety report ({@code GET /api/audit/safety-report}, {@code hub safety-report}): for a period, the security events
 * by kind, the top offenders, the tokens issued, ended, expiring and unused, the agents with privileged labels, the
 * admin's actions, and a short list of what to look at first. Read-only; built from the audit store, the credentials
 * and the agents.
 */
public final class SafetyReport {
    /** Offenders, expiring and unused tokens and recent admin actions listed at most. */
    static final int MAX_LISTED = 20;
    /** Audit events read at most to find the period's admin actions (newest first). */
    static final int MAX_AUDIT_READ = 20_000;
    /** Tokens that end within this are listed as expiring. */
    static final Duration EXPIRING_WITHIN = Duration.ofDays(7);
    /** What to look at first lists at most this many items. */
    static final int MAX_ADVICE = 8;

    private final AuthService auth;
    private final AgentService agents;
    private final AuditLog audit;
    private final SecurityEvents security;
    private final InstantSource clock;
    private final Duration idleAfter;

    /** One subject's security events in the period, with what it did most. */
    public record Offender(String subject, long events, Map<String, Long> kinds, List<String> details) {}

    /** A token as the report lists it; {@code lastSeen} is its agent's last call (null for viewers or unknown). */
    public record TokenRow(
            String id, String subject, String role, Instant createdAt, Instant expiresAt, Instant lastSeen) {}

    /** Tokens: issued and ended (revoked, replaced or expired) in the period, active now, expiring soon, unused. */
    public record Tokens(
            long issued, long ended, long active, List<TokenRow> expiring, List<TokenRow> unused, String idleAfter) {}

    /** An agent with privileged labels and their values. */
    public record Privileged(String agent, Map<String, String> labels) {}

    /** The admin's actions in the period: how many of each, the newest few; {@code complete} false if cut short. */
    public record AdminActions(long total, Map<String, Long> byAction, List<AuditEvent> recent, boolean complete) {}

    /** The report. */
    public record Report(
            Instant since,
            Instant until,
            Map<String, Long> events,
            List<Offender> topOffenders,
            Tokens tokens,
            List<Privileged> privilegedLabels,
            AdminActions adminActions,
            List<String> lookFirst) {}

    /** @param idleAfter an agent's token is unused when the agent has not called the hub for this long */
    public SafetyReport(
            AuthService auth,
            AgentService agents,
            AuditLog audit,
            SecurityEvents security,
            InstantSource clock,
            Duration idleAfter) {
        this.auth = auth;
        this.agents = agents;
        this.audit = audit;
        this.security = security;
        this.clock = clock;
        this.idleAfter = idleAfter;
    }

    /** The report for the {@code period} that ends now. */
    public Report report(Duration period) {
        Instant until = clock.instant();
        Instant since = until.minus(period);
        List<SecurityEvent> events = security.between(since, until.plusSeconds(60));
        List<Offender> offenders = offenders(events);
        Map<String, Agent> byId = agents.list().stream().collect(Collectors.toMap(Agent::id, Function.identity()));
        Tokens tokens = tokens(since, until, byId);
        List<Privileged> privileged = privileged(byId.values());
        AdminActions admin = adminActions(since);
        Map<String, Long> byKind = SecurityEvents.byKind(events);
        return new Report(
                since, until, byKind, offenders, tokens, privileged, admin, advice(events, offenders, tokens, byKind));
    }

    /** Subjects by their number of events, most first; the unattributed ({@code ""}) are left out. */
    private static List<Offender> offenders(List<SecurityEvent> events) {
        Map<String, List<SecurityEvent>> bySubject = new TreeMap<>();
        for (SecurityEvent e : events) {
            if (!e.subject().isEmpty()) {
                bySubject.computeIfAbsent(e.subject(), s -> new ArrayList<>()).add(e);
            }
        }
        List<Offender> out = new ArrayList<>();
        bySubject.forEach((subject, rows) -> {
            Map<String, Long> kinds = new LinkedHashMap<>();
            rows.forEach(r -> kinds.merge(r.kind(), r.count(), Long::sum));
            List<String> details = rows.stream()
                    .filter(r -> !r.detail().isEmpty())
                    .sorted(SecurityEvent.ORDER)
                    .map(SecurityEvent::detail)
                    .distinct()
                    .limit(3)
                    .toList();
            out.add(new Offender(
                    subject, rows.stream().mapToLong(SecurityEvent::count).sum(), kinds, details));
        });
        out.sort(Comparator.comparingLong(Offender::events).reversed().thenComparing(Offender::subject));
        return out.size() > MAX_LISTED ? List.copyOf(out.subList(0, MAX_LISTED)) : out;
    }

    private Tokens tokens(Instant since, Instant until, Map<String, Agent> byId) {
        long issued = 0;
        long ended = 0;
        long active = 0;
        List<TokenRow> expiring = new ArrayList<>();
        List<TokenRow> unused = new ArrayList<>();
        Instant idleBefore = until.minus(idleAfter);
        for (Credential c : auth.list(Credential.Kind.TOKEN)) {
            if (!c.createdAt().isBefore(since) && !c.createdAt().isAfter(until)) {
                issued++;
            }
            if (c.revokedAt() != null
                    && !c.revokedAt().isBefore(since)
                    && !c.revokedAt().isAfter(until)) {
                ended++;
            }
            if (!c.activeAt(until)) {
                continue;
            }
            active++;
            Agent agent = byId.get(c.subject());
            Instant lastSeen = agent == null ? null : agent.lastSeen();
            TokenRow row = new TokenRow(
                    c.id(),
                    c.subject(),
                    c.role().name().toLowerCase(java.util.Locale.ROOT),
                    c.createdAt(),
                    c.revokedAt(),
                    lastSeen);
            if (c.revokedAt() != null && c.revokedAt().isBefore(until.plus(EXPIRING_WITHIN))) {
                expiring.add(row);
            }
            boolean idle = c.role() == Role.AGENT
                    && c.createdAt().isBefore(idleBefore)
                    && (lastSeen == null || lastSeen.isBefore(idleBefore));
            if (idle && !c.subject().equals(Principal.ADMIN_ID)) {
                unused.add(row);
            }
        }
        expiring.sort(Comparator.comparing(TokenRow::expiresAt));
        unused.sort(Comparator.comparing(TokenRow::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new Tokens(issued, ended, active, first(expiring), first(unused), human(idleAfter));
    }

    private List<Privileged> privileged(java.util.Collection<Agent> all) {
        LabelPolicy policy = agents.labelPolicy();
        List<Privileged> out = new ArrayList<>();
        for (Agent a : all) {
            Map<String, String> labels = new TreeMap<>();
            a.labels().forEach((k, v) -> {
                if (policy.isPrivileged(k)) {
                    labels.put(k, v);
                }
            });
            if (!labels.isEmpty()) {
                out.add(new Privileged(a.id(), labels));
            }
        }
        out.sort(Comparator.comparing(Privileged::agent));
        return out;
    }

    /** The admin's audit events since {@code since}, read newest first, at most {@link #MAX_AUDIT_READ}. */
    private AdminActions adminActions(Instant since) {
        Map<String, Long> byAction = new TreeMap<>();
        List<AuditEvent> recent = new ArrayList<>();
        long total = 0;
        int read = 0;
        Long before = null;
        boolean complete = false;
        while (read < MAX_AUDIT_READ) {
            List<AuditEvent> page = audit.page(null, before, 1000);
            if (page.isEmpty()) {
                complete = true;
                break;
            }
            read += page.size();
            boolean older = false;
            for (AuditEvent e : page.reversed()) {
                if (e.at().isBefore(since)) {
                    older = true;
                    break;
                }
                if (e.actor().equals(Principal.ADMIN_ID)) {
                    total++;
                    byAction.merge(e.action(), 1L, Long::sum);
                    if (recent.size() < MAX_LISTED) {
                        recent.add(e);
                    }
                }
            }
            if (older || page.size() < 1000) {
                complete = true;
                break;
            }
            before = page.getFirst().seq();
        }
        return new AdminActions(total, byAction, recent, complete);
    }

    /** What to look at first: the few findings that most need a person, most urgent first. */
    private static List<String> advice(
            List<SecurityEvent> events, List<Offender> offenders, Tokens tokens, Map<String, Long> byKind) {
        List<String> out = new ArrayList<>();
        for (Offender o : offenders) {
            long tokenless = o.kinds().getOrDefault(Kind.BAD_TOKEN.key(), 0L)
                    + o.kinds().getOrDefault(Kind.UNAUTHENTICATED.key(), 0L);
            if (tokenless >= 10) {
                out.add("Client " + o.subject() + " made " + tokenless + " calls with a bad or no token"
                        + route(o) + ": someone is guessing tokens or runs with a revoked one. Find the client; if"
                        + " you do not know it, block the address at the proxy or firewall.");
            }
        }
        if (byKind.get(Kind.REDACTED.key()) > 0) {
            out.add(byKind.get(Kind.REDACTED.key()) + " secrets were redacted from text written by "
                    + subjects(events, Kind.REDACTED) + ": the hub kept them out of other agents' view, but the"
                    + " writers had them. Rotate those keys.");
        }
        for (Offender o : offenders) {
            long forbidden = o.kinds().getOrDefault(Kind.FORBIDDEN.key(), 0L);
            if (forbidden >= 5) {
                out.add(o.subject() + " was refused " + forbidden + " times" + route(o) + ": a misconfigured or"
                        + " compromised agent. Read its trail (hub trace " + o.subject() + ") and disable it (hub"
                        + " agent disable " + o.subject() + " --reason R) if in doubt.");
            }
        }
        if (byKind.get(Kind.INJECTION_FLAG.key()) > 0) {
            out.add(byKind.get(Kind.INJECTION_FLAG.key()) + " texts matched prompt-injection patterns, written by "
                    + subjects(events, Kind.INJECTION_FLAG) + ". Read them (chat, memories, handoffs) and decide"
                    + " whether the writer is compromised.");
        }
        if (byKind.get(Kind.PRIVILEGED_LABEL.key()) > 0) {
            out.add(byKind.get(Kind.PRIVILEGED_LABEL.key()) + " privileged label changes (on "
                    + subjects(events, Kind.PRIVILEGED_LABEL) + "): confirm each was intended (GET /api/audit).");
        }
        for (Offender o : offenders) {
            long limited = o.kinds().getOrDefault(Kind.RATE_LIMITED.key(), 0L);
            long quota = o.kinds().getOrDefault(Kind.QUOTA_REFUSED.key(), 0L);
            if (limited >= 50 || quota >= 10) {
                out.add(o.subject() + " hit " + (limited >= 50 ? limited + " rate limits" : quota + " quota refusals")
                        + route(o) + ": a loop or a flood. Check what it is doing before raising a limit.");
            }
        }
        if (!tokens.unused().isEmpty()) {
            out.add(tokens.unused().size() + (tokens.unused().size() == MAX_LISTED ? "+" : "")
                    + " tokens belong to agents idle for over " + tokens.idleAfter() + " ("
                    + tokens.unused().stream()
                            .map(TokenRow::subject)
                            .distinct()
                            .limit(5)
                            .collect(Collectors.joining(", "))
                    + "): revoke what is no longer used (hub agent token ID --replace, or disable the agent).");
        }
        if (!tokens.expiring().isEmpty()) {
            out.add(tokens.expiring().size() + " tokens end within 7 days: agents renew theirs (POST"
                    + " /api/tokens/renew); give the others a new one in time (hub agent token ID).");
        }
        if (out.isEmpty()) {
            out.add("Nothing stands out in this period.");
        }
        return out.size() > MAX_ADVICE ? List.copyOf(out.subList(0, MAX_ADVICE)) : out;
    }

    private static String route(Offender o) {
        return o.details().isEmpty() ? "" : " (" + String.join(", ", o.details()) + ")";
    }

    private static String subjects(List<SecurityEvent> events, Kind kind) {
        String who = events.stream()
                .filter(e -> e.kind().equals(kind.key()) && !e.subject().isEmpty())
                .map(SecurityEvent::subject)
                .distinct()
                .limit(5)
                .collect(Collectors.joining(", "));
        return who.isEmpty() ? "unknown writers" : who;
    }

    /** {@code 7d}, {@code 12h}, {@code 30m} or {@code 45s}: the largest whole unit. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static <T> List<T> first(List<T> rows) {
        return rows.size() > MAX_LISTED ? List.copyOf(rows.subList(0, MAX_LISTED)) : rows;
    }

    /** The period of a {@code since} such as {@code 24h}, {@code 7d} or {@code 30m}; empty if it is not one. */
    public static Optional<Duration> period(String since) {
        try {
            return Optional.of(io.agenthub.server.config.HubConfig.parseDuration(since.strip()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
