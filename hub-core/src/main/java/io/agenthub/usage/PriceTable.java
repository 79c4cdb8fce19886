package io.agenthub.usage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prices per model. A model id gets the price of the longest {@link ModelPrice#match} it contains (so
 * {@code opus-4-1} wins over {@code opus} for {@code claude-opus-4-1-20250805}), else the {@code *} entry. Written as
 * {@code match=input/output/cacheRead/cacheWrite} entries in USD per million tokens, separated by commas.
 */
public record PriceTable(List<ModelPrice> prices) {
    /**
     * Anthropic's list prices (USD per million tokens: input, output, cache read, 5-minute cache write) for the Claude
     * families: Haiku 4.5, Sonnet 4.x, Opus 4.5 and later, the older Opus 4 and 4.1 and Haiku 3.5 and 3; unknown models
     * are priced like Opus 4.5.
     */
    public static final String DEFAULTS = "haiku=1/5/0.10/1.25,3-5-haiku=0.80/4/0.08/1,3-haiku=0.25/1.25/0.03/0.30,"
            + "sonnet=3/15/0.30/3.75,opus=5/25/0.50/6.25,opus-4-1=15/75/1.50/18.75,opus-4-2025=15/75/1.50/18.75,"
            + "3-opus=15/75/1.50/18.75,*=5/25/0.50/6.25";

    public PriceTable {
        prices = List.copyOf(prices);
    }

    public static PriceTable defaults() {
        return parse(DEFAULTS);
    }

    /** Parses the written form; fails with a message naming the bad entry. */
    public static PriceTable parse(String text) {
        List<ModelPrice> out = new ArrayList<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] kv = entry.split("=", 2);
            String[] p = kv.length == 2 ? kv[1].split("/") : new String[0];
            if (p.length != 4) {
                throw new IllegalArgumentException("price entry '" + entry.strip()
                        + "' must be model=input/output/cacheRead/cacheWrite in USD per million tokens");
            }
            out.add(ModelPrice.perMillion(kv[0], p[0], p[1], p[2], p[3]));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the price table is empty");
        }
        return new PriceTable(out);
    }

    /** The price of {@code model}, or empty if no entry matches and there is no {@code *} entry. */
    public Optional<ModelPrice> priceOf(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return prices.stream()
                .filter(p -> !p.match().equals("*") && m.contains(p.match()))
                .max(Comparator.comparingInt(p -> p.match().length()))
                .or(() -> prices.stream().filter(p -> p.match().equals("*")).findFirst());
    }
}
