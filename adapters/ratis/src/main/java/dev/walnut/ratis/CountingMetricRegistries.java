package dev.walnut.ratis;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.util.TimeDuration;

/**
 * The {@link MetricRegistries} Ratis finds through {@link java.util.ServiceLoader}. Ratis' own
 * implementation ({@code ratis-metrics-default}) is not available to this build, and without any
 * implementation on the class path Ratis fails to start a server. This one keeps counters and
 * timer counts in memory (no reporters, no JMX) so that the figures can read, for example, how
 * often a node flushed its Raft log.
 */
public final class CountingMetricRegistries extends MetricRegistries {

    private static final Map<MetricRegistryInfo, CountingMetricRegistry> REGISTRIES = new ConcurrentHashMap<>();

    /** Public no-argument constructor: {@link java.util.ServiceLoader} instantiates this class. */
    public CountingMetricRegistries() {
    }

    /**
     * The sum of counter {@code name} over the live registries whose prefix starts with
     * {@code prefixStart} (Ratis' prefix is the member id, {@code peer@group-...}).
     */
    public static long counter(String prefixStart, String name) {
        return REGISTRIES.values().stream()
                .filter(r -> String.valueOf(r.getMetricRegistryInfo().getPrefix()).startsWith(prefixStart))
                .mapToLong(r -> r.count(name)).sum();
    }

    @Override
    public void clear() {
        REGISTRIES.clear();
    }

    @Override
    public RatisMetricRegistry create(MetricRegistryInfo info) {
        return REGISTRIES.computeIfAbsent(info, CountingMetricRegistry::new);
    }

    @Override
    public boolean remove(MetricRegistryInfo key) {
        return REGISTRIES.remove(key) != null;
    }

    @Override
    public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
        return Optional.ofNullable(REGISTRIES.get(info));
    }

    @Override
    public Set<MetricRegistryInfo> getMetricRegistryInfos() {
        return Set.copyOf(REGISTRIES.keySet());
    }

    @Override
    public Collection<RatisMetricRegistry> getMetricRegistries() {
        return List.copyOf(REGISTRIES.values());
    }

    @Override
    public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
                                        Consumer<RatisMetricRegistry> stopReporter) {
        // No reporters: the counts are read in-process through counter().
    }

    @Override
    public void enableJmxReporter() {
        // Not offered: nothing here is exported over JMX.
    }

    @Override
    public void enableConsoleReporter(TimeDuration consoleReportRate) {
        // Not offered: nothing here is printed periodically.
    }
}
