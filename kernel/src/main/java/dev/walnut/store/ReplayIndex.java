package dev.walnut.store;

import dev.walnut.format.BatchCodec;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Collects the live state while the log replays, then builds the store's ordered index. No reader
 * exists during replay, so a plain hash table takes the writes (far cheaper per op than an ordered
 * concurrent map); the skip list is then built once from the sorted keys in linear time.
 */
public final class ReplayIndex implements BatchCodec.OpSink {

    private final ReplayTable live = new ReplayTable();

    @Override
    public void put(byte[] key, byte[] value) {
        live.put(key, value);
    }

    @Override
    public void delete(byte[] key) {
        live.delete(key);
    }

    public int size() {
        return live.size();
    }

    /**
     * Builds the store's index: one sort, then a linear bulk load of the skip list. Recovered
     * entries are stored as their bare value (sequence 0: every later reader sees them), so a
     * recovered entry costs the skip list node and its two arrays, nothing more.
     */
    public MvccIndex toIndex(long lastSequence) {
        ReplayTable.Entries entries = live.drain();
        byte[][] keys = entries.keys();
        byte[][] values = entries.values();
        KeySorter.sort(keys, values);
        long liveBytes = 0;
        for (int i = 0; i < keys.length; i++) {
            liveBytes += keys[i].length + values[i].length;
        }
        // This constructor bulk-loads from a SortedMap without comparisons (buildFromSorted).
        return MvccIndex.recovered(new ConcurrentSkipListMap<>(new SortedArrays(keys, values)), lastSequence,
                liveBytes);
    }

    /**
     * A read-once sorted view over two parallel arrays, just enough SortedMap for the skip list's
     * bulk-load constructor, which reads {@code comparator()} and iterates {@code entrySet()}.
     */
    private static final class SortedArrays extends AbstractMap<byte[], Object> implements SortedMap<byte[], Object> {
        private final byte[][] keys;
        private final byte[][] values;

        SortedArrays(byte[][] keys, byte[][] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public Comparator<? super byte[]> comparator() {
            return MvccIndex.KEY_ORDER;
        }

        @Override
        public Set<Entry<byte[], Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<byte[], Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Entry<byte[], Object> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<byte[], Object> e = new SimpleImmutableEntry<>(keys[next], values[next]);
                            next++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
        }

        @Override
        public byte[] firstKey() {
            if (keys.length == 0) {
                throw new NoSuchElementException();
            }
            return keys[0];
        }

        @Override
        public byte[] lastKey() {
            if (keys.length == 0) {
                throw new NoSuchElementException();
            }
            return keys[keys.length - 1];
        }

        @Override
        public SortedMap<byte[], Object> subMap(byte[] from, byte[] to) {
            return slice(from, to);
        }

        @Override
        public SortedMap<byte[], Object> headMap(byte[] to) {
            return slice(null, to);
        }

        @Override
        public SortedMap<byte[], Object> tailMap(byte[] from) {
            return slice(from, null);
        }

        private SortedMap<byte[], Object> slice(byte[] from, byte[] to) {
            int lo = from == null ? 0 : insertionPoint(from);
            int hi = Math.max(lo, to == null ? keys.length : insertionPoint(to));
            return new SortedArrays(Arrays.copyOfRange(keys, lo, hi), Arrays.copyOfRange(values, lo, hi));
        }

        private int insertionPoint(byte[] key) {
            int i = Arrays.binarySearch(keys, key, MvccIndex.KEY_ORDER);
            return i >= 0 ? i : -i - 1;
        }
    }
}
