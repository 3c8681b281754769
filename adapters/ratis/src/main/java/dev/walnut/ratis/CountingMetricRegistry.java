package dev.walnut.ratis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;

/** One registry of {@link CountingMetricRegistries}: counters and timer counts by name; gauges are dropped. */
final class CountingMetricRegistry implements RatisMetricRegistry {

    private final MetricRegistryInfo info;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    CountingMetricRegistry(MetricRegistryInfo info) {
        this.info = info;
    }

    long count(String name) {
        LongAdder adder = counts.get(name);
        return adder == null ? 0 : adder.sum();
    }

    private LongAdder adder(String name) {
        return counts.computeIfAbsent(name, n -> new LongAdder());
    }

    @Override
    public Timekeeper timer(String name) {
        LongAdder adder = adder(name);
        return () -> {
            long startNs = System.nanoTime();
            return () -> {
                adder.increment();
                return System.nanoTime() - startNs;
            };
        };
    }

    @Override
    public LongCounter counter(String name) {
        LongAdder adder = adder(name);
        return new LongCounter() {
            @Override
            public void inc(long n) {
                adder.add(n);
            }

            @Override
            public void dec(long n) {
                adder.add(-n);
            }

            @Override
            public long getCount() {
                return adder.sum();
            }
        };
    }

    @Override
    public boolean remove(String name) {
        return counts.remove(name) != null;
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
        // Gauges are sampled by reporters; there are none here.
    }

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
        return info;
    }
}
