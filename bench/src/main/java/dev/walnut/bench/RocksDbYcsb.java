package dev.walnut.bench;

/**
 * YCSB binding for RocksDB with its defaults ({@code -db dev.walnut.bench.RocksDbYcsb
 * -p rocksdb.dir=DIR}): {@code new Options().setCreateIfMissing(true)}, writes with
 * {@code sync=false} (the WAL in the page cache on return), reads through the default block cache.
 * The project's own, because YCSB's published RocksDB binding is not on the registry.
 */
public final class RocksDbYcsb extends YcsbBinding {

    @Override
    protected String engine() {
        return "rocksdb-defaults";
    }

    @Override
    protected String prefix() {
        return "rocksdb";
    }
}
