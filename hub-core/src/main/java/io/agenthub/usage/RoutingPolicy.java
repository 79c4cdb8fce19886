package io.agenthub.usage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Model routing: which model suits a task of a given complexity (the guide: Haiku for simple, Opus for complex). While
 * the fleet is throttled, moderate tasks are routed to the simple tier's model; while halted, the advice is not to call
 * a model at all. Written as {@code simple=MODEL,moderate=MODEL,complex=MODEL}.
 */
public record RoutingPolicy(Map<Complexity, String> models) {
    public static final String DEFAULTS = "simple=claude-haiku-4-5,moderate=claude-sonnet-4-5,complex=claude-opus-4-5";

    public RoutingPolicy {
        models = Map.copyOf(models);
        for (Complexity c : Complexity.values()) {
            if (!models.containsKey(c) || models.get(c).isBlank()) {
                throw new IllegalArgumentException(
                        "model routing needs a model for " + c.name().toLowerCase());
            }
        }
    }

    public static RoutingPolicy defaults() {
        return parse(DEFAULTS);
    }

    /** Parses the written form; fails with a message naming the bad entry. */
    public static RoutingPolicy parse(String text) {
        Map<Complexity, String> models = new EnumMap<>(Complexity.class);
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException(
                        "routing entry '" + entry.strip() + "' must be simple=MODEL, moderate=MODEL or complex=MODEL");
            }
            try {
                models.put(Complexity.parse(kv[0]), kv[1].strip());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("routing entry '" + entry.strip() + "': " + e.getMessage());
            }
        }
        return new RoutingPolicy(models);
    }

    /** The advice for a task of {@code complexity} while the fleet's budget is at {@code level}. */
    public RoutingAdvice advise(Complexity complexity, BudgetLevel level, PriceTable prices) {
        Complexity tier = complexity;
        String reason = switch (complexity) {
            case SIMPLE -> "Simple tasks need the cheapest capable model.";
            case MODERATE -> "Ordinary coding and review: the balanced model.";
            case COMPLEX -> "Design, hard debugging and long reasoning: the strongest model pays for itself.";
        };
        if (level == BudgetLevel.HALT) {
            reason = "Budget halt: make no model calls; save a checkpoint and stop.";
        } else if (level == BudgetLevel.THROTTLE && complexity == Complexity.MODERATE) {
            tier = Complexity.SIMPLE;
            reason = "Budget throttle: moderate tasks go to the simple tier's model until spend falls back.";
        }
        String model = models.get(tier);
        String price = prices.priceOf(model).map(ModelPrice::describe).orElse("");
        return new RoutingAdvice(complexity, model, reason, price);
    }

    /** The advice for every complexity. */
    public List<RoutingAdvice> table(BudgetLevel level, PriceTable prices) {
        List<RoutingAdvice> out = new ArrayList<>();
        for (Complexity c : Complexity.values()) {
            out.add(advise(c, level, prices));
        }
        return out;
    }

    /** The written form. */
    public String describe() {
        return "simple=" + models.get(Complexity.SIMPLE) + ",moderate=" + models.get(Complexity.MODERATE) + ",complex="
                + models.get(Complexity.COMPLEX);
    }
}
