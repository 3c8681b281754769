package dev.walnut;

import java.util.Iterator;

/**
 * A streaming iterator over a key range at one sequence number: memory does not grow with the
 * range. It pins the versions it may still read until closed: always close it (try-with-resources).
 */
public interface Cursor extends Iterator<KeyValue>, AutoCloseable {
    @Override
    void close();
}
