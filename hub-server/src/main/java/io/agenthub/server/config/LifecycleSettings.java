package io.agenthub.server.config;

import io.agenthub.handoff.HandoffPolicy;
import io.agenthub.usage.BudgetPolicy;
import io.agenthub.usage.ContextPolicy;
import io.agenthub.usage.PriceTable;
import io.agenthub.usage.RoutingPolicy;
import io.agenthub.usage.Usd;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The lifecycle's policies, built and checked from the configuration: stall detection, context thresholds, prices,
 * budgets, routing and handoffs. A bad value fails with the name of its setting.
 *
 * @param handOverReapedLeases true to offer a silent agent's leases to its pool, false to release them
 * @param opsChannel the chat channel of hub notices
 */
public record LifecycleSettings(
        Duration stallAfter,
        Duration wakeTimeout,
        ContextPolicy context,
        PriceTable prices,
        ZoneId zone,
        BudgetPolicy budget,
        RoutingPolicy routing,
        HandoffPolicy handoffs,
        boolean handOverReapedLeases,
        String opsChannel) {
    public static LifecycleSettings from(HubConfig c) {
        ContextPolicy context = parsed(
                c,
                Setting.CONTEXT_LIMITS,
                v -> ContextPolicy.parse(
                        c.integer(Setting.CONTEXT_WARN_TOKENS), c.integer(Setting.CONTEXT_TRANSFER_TOKENS), v));
        String reaped = c.string(Setting.REAPED_LEASES).strip();
        if (!reaped.equals("handoff") && !reaped.equals("release")) {
            throw c.invalid(Setting.REAPED_LEASES, "must be handoff or release");
        }
        // alert-channel is the former name: a hub configured with it keeps its channel.
        Setting named = c.string(Setting.ALERT_CHANNEL).isBlank() ? Setting.OPS_CHANNEL : Setting.ALERT_CHANNEL;
        String channel = c.string(named).strip();
        if (!channel.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw c.invalid(named, "must be a channel name such as ops or alerts");
        }
        return new LifecycleSettings(
                c.duration(Setting.STALL_AFTER),
                c.duration(Setting.WAKE_TIMEOUT),
                context,
                parsed(c, Setting.PRICES, PriceTable::parse),
                parsed(c, Setting.USAGE_TIME_ZONE, v -> ZoneId.of(v.strip())),
                budget(c),
                parsed(c, Setting.MODEL_ROUTING, RoutingPolicy::parse),
                new HandoffPolicy(
                        c.duration(Setting.HANDOFF_TTL),
                        c.duration(Setting.LEASE_DEFAULT_TTL),
                        c.integer(Setting.LEASE_MAX_PER_AGENT)),
                reaped.equals("handoff"),
                channel);
    }

    private static BudgetPolicy budget(HubConfig c) {
        Set<String> agents = new LinkedHashSet<>();
        Set<String> pools = new LinkedHashSet<>();
        for (String e : c.string(Setting.ESSENTIAL_AGENTS).split(",")) {
            String id = e.strip();
            if (id.startsWith("pool:")) {
                pools.add(id.substring(5));
            } else if (!id.isEmpty()) {
                agents.add(id);
            }
        }
        String perAgent = c.string(Setting.AGENT_DAILY_BUDGET_USD).strip();
        Long agentDefault = perAgent.isEmpty() ? null : parsed(c, Setting.AGENT_DAILY_BUDGET_USD, Usd::parse);
        Map<String, Long> named = parsed(c, Setting.AGENT_BUDGETS_USD, LifecycleSettings::budgets);
        return parsed(
                c,
                Setting.BUDGET_INFO_USD,
                v -> new BudgetPolicy(
                        usd(c, Setting.BUDGET_INFO_USD),
                        usd(c, Setting.BUDGET_WARN_USD),
                        usd(c, Setting.BUDGET_THROTTLE_USD),
                        usd(c, Setting.BUDGET_HALT_USD),
                        c.duration(Setting.THROTTLE_DELAY),
                        agents,
                        pools,
                        agentDefault,
                        named));
    }

    private static long usd(HubConfig c, Setting s) {
        return c.integer(s) * Usd.NANOS;
    }

    private static Map<String, Long> budgets(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("entry '" + entry.strip() + "' must be ID=USD");
            }
            out.put(kv[0].strip(), Usd.parse(kv[1]));
        }
        return out;
    }

    private static <T> T parsed(HubConfig c, Setting s, Function<String, T> parser) {
        try {
            return parser.apply(c.string(s));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw c.invalid(s, e.getMessage());
        }
    }
}
