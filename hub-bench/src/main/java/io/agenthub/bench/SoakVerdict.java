package io.agenthub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flat or growing: a least-squares line through each series after the warm-up (the first fifth of the samples, at least
 * one), its slope per hour, and the growth it predicts over the run's measured span as a share of the series' mean.
 * A series is flat when that growth stays under {@link #FLAT_SHARE}; a falling series counts as flat.
 */
final class SoakVerdict {
    /** Predicted growth over the measured span, as a share of the mean, under which a series is flat. */
    static final double FLAT_SHARE = 0.10;

    record Line(SoakSample.Series series, double mean, double slopePerHour, double growthShare, boolean flat) {
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%-11s %s: mean %.1f, slope %+.2f per hour (%+.1f%% of the mean over the run)",
                    series.label,
                    !flat ? "GROWING" : growthShare <= -FLAT_SHARE ? "falling" : "flat   ",
                    mean,
                    slopePerHour,
                    growthShare * 100);
        }
    }

    private SoakVerdict() {}

    static List<Line> judge(List<SoakSample> samples) {
        int skip = Math.max(1, samples.size() / 5);
        List<SoakSample> steady = samples.size() > skip + 1 ? samples.subList(skip, samples.size()) : samples;
        List<Line> out = new ArrayList<>();
        for (SoakSample.Series series : SoakSample.Series.values()) {
            List<SoakSample> known = series.known(steady);
            if (known.size() < 2) {
                continue;
            }
            double n = known.size();
            double sx = 0;
            double sy = 0;
            for (SoakSample s : known) {
                sx += s.minute();
                sy += series.value.applyAsDouble(s);
            }
            double mx = sx / n;
            double my = sy / n;
            double sxy = 0;
            double sxx = 0;
            for (SoakSample s : known) {
                double dx = s.minute() - mx;
                sxy += dx * (series.value.applyAsDouble(s) - my);
                sxx += dx * dx;
            }
            double slopePerMinute = sxx == 0 ? 0 : sxy / sxx;
            double span = known.getLast().minute() - known.getFirst().minute();
            double share = my == 0 ? 0 : slopePerMinute * span / my;
            // Falling is fine (a warm-up that ends, a cache that settles): only growth counts against flatness.
            out.add(new Line(series, my, slopePerMinute * 60, share, share < FLAT_SHARE));
        }
        return out;
    }
}
