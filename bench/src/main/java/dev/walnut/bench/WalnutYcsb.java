package dev.walnut.bench;

/**
 * YCSB binding for Walnut ({@code -db dev.walnut.bench.WalnutYcsb -p walnut.dir=DIR}): the
 * store with its default options (automatic compaction on), durability from
 * {@code walnut.durability} (default MANUAL).
 */
public final class WalnutYcsb extends YcsbBinding {

    @Override
    protected String engine() {
        return "walnut";
    }

    @Override
    protected String prefix() {
        return "walnut";
    }
}
