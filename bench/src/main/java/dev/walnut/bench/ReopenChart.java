package dev.walnut.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/**
 * Draws {@link ReopenProfile}'s rows as one PNG: time to ready after a crash and after a clean
 * close, and the reopening JVM's VmHWM, each against N (records), one line per engine, medians of
 * the rounds (the tables carry min-max). Drawn by XChart from the same run's rows.
 */
final class ReopenChart {

    static final int PANEL_WIDTH_PX = 640;
    static final int PANEL_HEIGHT_PX = 520;

    /** One colour and marker per engine in every panel, so a line reads the same everywhere. */
    static final Map<String, Color> COLORS = Map.of("walnut", new Color(0x8B4513), "rocksdb-defaults",
            new Color(0x1F77B4), "rocksdb", new Color(0x17BECF), "rocksdb-avoidflush", new Color(0x9467BD),
            "mvstore", new Color(0x2CA02C), "lmdb", new Color(0xD62728), "je", new Color(0x555555));
    static final Map<String, Marker> MARKERS = Map.of("walnut", SeriesMarkers.CIRCLE, "rocksdb-defaults",
            SeriesMarkers.DIAMOND, "rocksdb", SeriesMarkers.SQUARE, "rocksdb-avoidflush", SeriesMarkers.SQUARE,
            "mvstore", SeriesMarkers.TRIANGLE_UP, "lmdb", SeriesMarkers.TRIANGLE_DOWN, "je", SeriesMarkers.CROSS);

    private ReopenChart() {
    }

    static void write(List<PeerHarness.Row> rows, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> panels = new ArrayList<>();
        panels.add(panel(rows, "crash-", "Time to ready after a crash", "open() ms (log scale)",
                PeerHarness.Row::openMs, true));
        panels.add(panel(rows, "clean-", "Time to ready after a clean close", "open() ms (log scale)",
                PeerHarness.Row::openMs, true));
        panels.add(panel(rows, "crash-", "Resident memory of the reopening JVM (after a crash)",
                "VmHWM MiB after open + verify", r -> r.hwmKiB() / 1024.0, false));
        panels.removeIf(p -> p.getSeriesMap().isEmpty());
        BitmapEncoder.saveBitmap(panels, 1, panels.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart panel(List<PeerHarness.Row> rows, String prefix, String title, String yTitle,
                                 ToDoubleFunction<PeerHarness.Row> y, boolean logY) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH_PX).height(PANEL_HEIGHT_PX).title(title)
                .xAxisTitle("N, thousands of records (16 B keys, 100 B values)").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setYAxisLogarithmic(logY);
        styler.setXAxisMin(0.0);
        styler.setXAxisDecimalPattern("#,###");
        if (!logY) {
            styler.setYAxisMin(0.0);
        }
        for (String engine : engines(rows, prefix)) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (long n : sizes(rows, prefix)) {
                List<PeerHarness.Row> samples = rows.stream().filter(r -> r.engine().equals(engine)
                        && r.scenario().name().startsWith(prefix) && r.scenario().records() == n).toList();
                Spread s = ReopenReport.spread(samples, y);
                if (s.samples() > 0 && s.median() > 0) {
                    xs.add(n / 1000.0);
                    ys.add(s.median());
                }
            }
            if (!xs.isEmpty()) {
                XYSeries series = chart.addSeries(ReopenReport.NAMES.getOrDefault(engine, engine), xs, ys);
                Color color = COLORS.getOrDefault(engine, Color.GRAY);
                series.setLineColor(color);
                series.setMarkerColor(color);
                series.setMarker(MARKERS.getOrDefault(engine, SeriesMarkers.CIRCLE));
            }
        }
        return chart;
    }

    private static Set<String> engines(List<PeerHarness.Row> rows, String prefix) {
        Set<String> engines = new LinkedHashSet<>();
        rows.stream().filter(r -> r.scenario().name().startsWith(prefix) && !r.engine().equals(PeerMain.JVM_ONLY))
                .forEach(r -> engines.add(r.engine()));
        return engines;
    }

    private static List<Long> sizes(List<PeerHarness.Row> rows, String prefix) {
        return rows.stream().filter(r -> r.scenario().name().startsWith(prefix)).map(r -> r.scenario().records())
                .distinct().sorted().toList();
    }
}
