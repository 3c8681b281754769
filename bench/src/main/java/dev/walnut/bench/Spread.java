package dev.walnut.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Median, min and max of a few samples (rounds of one figure), as the results tables print them. */
record Spread(double median, double min, double max, int samples) {

    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    static Spread of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values.stream().filter(v -> !Double.isNaN(v)).toList());
        if (sorted.isEmpty()) {
            return NONE;
        }
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** "median (min-max)" with three significant digits, or "-" without samples. */
    String format() {
        if (samples == 0) {
            return "-";
        }
        return samples == 1 ? sig(median) : sig(median) + " (" + sig(min) + "-" + sig(max) + ")";
    }

    /** "median (min-max)" rounded to whole units. */
    String formatWhole() {
        if (samples == 0) {
            return "-";
        }
        String m = String.format(Locale.ROOT, "%.0f", median);
        return samples == 1 ? m : m + String.format(Locale.ROOT, " (%.0f-%.0f)", min, max);
    }

    private static String sig(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
