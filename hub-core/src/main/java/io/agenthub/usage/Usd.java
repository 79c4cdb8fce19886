package io.agenthub.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Money: amounts are kept as nano-dollars (10^-9 USD) in {@code long}s and shown as dollars. */
public final class Usd {
    /** Nano-dollars in one dollar. */
    public static final long NANOS = 1_000_000_000L;

    private Usd() {}

    /** Whole or decimal dollars (at most nine decimals) as nano-dollars; fails on negative or malformed amounts. */
    public static long parse(String dollars) {
        try {
            BigDecimal d = new BigDecimal(dollars.strip());
            if (d.signum() < 0) {
                throw new IllegalArgumentException("amount must not be negative: " + dollars);
            }
            return d.movePointRight(9).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not an amount of dollars: '" + dollars + "'");
        }
    }

    /** Dollars with six decimals, for JSON. */
    public static BigDecimal dollars(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(9).setScale(6, RoundingMode.HALF_UP);
    }

    /** For people: {@code $1,234.56}, or more decimals for amounts under a cent. */
    public static String text(long nanos) {
        DecimalFormat f = new DecimalFormat(
                Math.abs(nanos) < NANOS / 100 && nanos != 0 ? "$#,##0.00####" : "$#,##0.00",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(BigDecimal.valueOf(nanos).movePointLeft(9));
    }
}
