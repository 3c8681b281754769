/**
 * Walnut: an embedded, write-ahead-log-backed key-value store. Applications use {@code dev.walnut}
 * (the store, its options, cursors, snapshots, recovery reports and log inspection); other storages
 * implement {@code dev.walnut.io} (the narrow file seam). Every other package is internal and may
 * change in any release.
 */
module dev.walnut {
    requires org.lz4.java;
    requires jdk.jfr;

    exports dev.walnut;
    exports dev.walnut.io;
}
