package io.agenthub.bench;

import java.util.List;
import java.util.Locale;

/**
 * Draws the soak's samples as one SVG: a panel per series (heap, RSS, open files, store size, p99 latency) against
 * minutes, each with its own scale from zero, and the verdict in the panel's title.
 */
final class SoakChart {
    private static final int WIDTH = 900;
    private static final int PANEL = 150;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;

    private SoakChart() {}

    static String svg(String title, List<SoakSample> samples, List<SoakVerdict.Line> verdict) {
        SoakSample.Series[] all = SoakSample.Series.values();
        int height = TOP + all.length * (PANEL + 30) + 20;
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(text(LEFT, 22, 15, escape(title)));
        double maxMinute =
                samples.isEmpty() ? 1 : Math.max(1e-9, samples.getLast().minute());
        int y0 = TOP;
        for (SoakSample.Series series : all) {
            String verdictText = verdict.stream()
                    .filter(l -> l.series() == series)
                    .findFirst()
                    .map(l -> String.format(
                            Locale.ROOT,
                            "%s (%+.2f per hour, %+.1f%% over the run)",
                            l.flat() ? (l.growthShare() <= -SoakVerdict.FLAT_SHARE ? "falling" : "flat") : "growing",
                            l.slopePerHour(),
                            l.growthShare() * 100))
                    .orElse("not measured");
            panel(b, series, samples, maxMinute, y0, verdictText);
            y0 += PANEL + 30;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static void panel(
            StringBuilder b,
            SoakSample.Series series,
            List<SoakSample> samples,
            double maxMinute,
            int y0,
            String verdictText) {
        int w = WIDTH - LEFT - RIGHT;
        b.append(text(LEFT, y0 + 12, 12, escape(series.label + ": " + verdictText)));
        int top = y0 + 18;
        int bottom = top + PANEL - 20;
        b.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>%n",
                LEFT,
                top,
                w,
                bottom - top));
        List<SoakSample> known = series.known(samples);
        if (known.isEmpty()) {
            return;
        }
        double max = known.stream().mapToDouble(series.value).max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        b.append(text(4, top + 10, 10, fmt(max)));
        b.append(text(4, bottom, 10, "0"));
        b.append(text(LEFT + w - 60, bottom + 12, 10, fmt(maxMinute) + " min"));
        StringBuilder points = new StringBuilder();
        for (SoakSample s : known) {
            double x = LEFT + w * s.minute() / maxMinute;
            double y = bottom - (bottom - top) * series.value.applyAsDouble(s) / max;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        b.append(String.format(
                Locale.ROOT,
                "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                points.toString().strip()));
    }

    private static String text(int x, int y, int size, String s) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%s</text>%n", x, y, size, s);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
