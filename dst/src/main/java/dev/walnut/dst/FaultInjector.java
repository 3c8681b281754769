package dev.walnut.dst;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decides, at each point where a fault of some kind could strike, whether it does: by a seeded
 * chance per kind (the long-run simulator), or because a test armed it to fire at the n-th such
 * point (properties and scenarios, whose generated values then shrink). Counts what it injected.
 */
public final class FaultInjector {

    private final SplittableRandom random;
    private final EnumMap<FaultKind, Double> chance = new EnumMap<>(FaultKind.class);
    private final EnumMap<FaultKind, Integer> armed = new EnumMap<>(FaultKind.class);
    private final EnumMap<FaultKind, Long> injected = new EnumMap<>(FaultKind.class);
    private boolean suspended;

    public FaultInjector(SplittableRandom random) {
        this.random = random;
        for (FaultKind kind : FaultKind.values()) {
            injected.put(kind, 0L);
        }
    }

    /** Faults of {@code kind} strike each decision point with this probability (0 switches them off). */
    public FaultInjector chance(FaultKind kind, double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability out of range: kind=" + kind + " actual=" + probability);
        }
        chance.put(kind, probability);
        return this;
    }

    public double chance(FaultKind kind) {
        return chance.getOrDefault(kind, 0.0);
    }

    /** A fault of {@code kind} strikes at the {@code skip}-th next decision point of that kind (0 = the next). */
    public FaultInjector arm(FaultKind kind, int skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0: kind=" + kind + " actual=" + skip);
        }
        armed.put(kind, skip);
        return this;
    }

    public boolean isArmed(FaultKind kind) {
        return armed.containsKey(kind);
    }

    public void disarm(FaultKind kind) {
        armed.remove(kind);
    }

    /** While suspended nothing strikes and nothing is drawn: for checks that must see the storage as it is. */
    public void suspend(boolean value) {
        suspended = value;
    }

    /** Whether a fault of {@code kind} strikes at this decision point; counted if it does. */
    public boolean strikes(FaultKind kind) {
        if (suspended) {
            return false;
        }
        boolean strikes = false;
        Integer countdown = armed.get(kind);
        if (countdown != null) {
            if (countdown == 0) {
                armed.remove(kind);
                strikes = true;
            } else {
                armed.put(kind, countdown - 1);
            }
        }
        double p = chance(kind);
        if (!strikes && p > 0 && random.nextDouble() < p) {
            strikes = true;
        }
        if (strikes) {
            injected.merge(kind, 1L, Long::sum);
        }
        return strikes;
    }

    /** Counts a fault decided elsewhere (e.g. the pages a lying sync dropped). */
    public void count(FaultKind kind) {
        injected.merge(kind, 1L, Long::sum);
    }

    public long injected(FaultKind kind) {
        return injected.get(kind);
    }

    public Map<FaultKind, Long> injected() {
        return new EnumMap<>(injected);
    }

    /** The random source of fault parameters (which bit, how many bytes); the same seed as the decisions. */
    public SplittableRandom random() {
        return random;
    }
}
