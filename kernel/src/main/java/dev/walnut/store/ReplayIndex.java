package dev.walnut.store;

import dev.walnut.format.BatchCodec;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Collects the live state while the log replays. No reader exists during replay, so a plain hash
 * map takes the writes (far cheaper per op than an ordered concurrent map); the ordered, concurrent
 * index is then built once from the sorted keys in linear time.
 */
public final class ReplayIndex implements BatchCodec.OpSink {

    private final HashMap<ByteKey, byte[]> live = new HashMap<>(1 << 16);

    @Override
    public void put(byte[] key, byte[] value) {
        live.put(new ByteKey(key), value);
    }

    @Override
    public void delete(byte[] key) {
        live.remove(new ByteKey(key));
    }

    public int size() {
        return live.size();
    }

    /**
     * Builds the store's index: one sort, then a linear bulk load of the skip list. Recovered
     * versions carry sequence 0, so every later reader sees them.
     */
    public MvccIndex toIndex(long lastSequence) {
        ByteKey[] keys = live.keySet().toArray(new ByteKey[0]);
        Arrays.sort(keys);
        Version[] versions = new Version[keys.length];
        long liveBytes = 0;
        for (int i = 0; i < keys.length; i++) {
            byte[] value = live.get(keys[i]);
            versions[i] = new Version(0, value, null);
            liveBytes += keys[i].bytes().length + value.length;
        }
        live.clear();
        // This constructor bulk-loads from a SortedMap without comparisons (buildFromSorted).
        return MvccIndex.recovered(new ConcurrentSkipListMap<>(new SortedArrays(keys, versions)), lastSequence,
                liveBytes);
    }

    /**
     * A read-once sorted view over two parallel arrays, just enough SortedMap for the skip list's
     * bulk-load constructor, which reads {@code comparator()} and iterates {@code entrySet()}.
     */
    private static final class SortedArrays extends AbstractMap<ByteKey, Version> implements SortedMap<ByteKey, Version> {
        private final ByteKey[] keys;
        private final Version[] values;

        SortedArrays(ByteKey[] keys, Version[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public Comparator<? super ByteKey> comparator() {
            return null;
        }

        @Override
        public Set<Entry<ByteKey, Version>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<ByteKey, Version>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Entry<ByteKey, Version> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<ByteKey, Version> e = new SimpleImmutableEntry<>(keys[next], values[next]);
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
        public ByteKey firstKey() {
            if (keys.length == 0) {
                throw new NoSuchElementException();
            }
            return keys[0];
        }

        @Override
        public ByteKey lastKey() {
            if (keys.length == 0) {
                throw new NoSuchElementException();
            }
            return keys[keys.length - 1];
        }

        @Override
        public SortedMap<ByteKey, Version> subMap(ByteKey from, ByteKey to) {
            return slice(from, to);
        }

        @Override
        public SortedMap<ByteKey, Version> headMap(ByteKey to) {
            return slice(null, to);
        }

        @Override
        public SortedMap<ByteKey, Version> tailMap(ByteKey from) {
            return slice(from, null);
        }

        private SortedMap<ByteKey, Version> slice(ByteKey from, ByteKey to) {
            int lo = from == null ? 0 : insertionPoint(from);
            int hi = to == null ? keys.length : insertionPoint(to);
            return new SortedArrays(Arrays.copyOfRange(keys, lo, Math.max(lo, hi)),
                    Arrays.copyOfRange(values, lo, Math.max(lo, hi)));
        }

        private int insertionPoint(ByteKey key) {
            int i = Arrays.binarySearch(keys, key);
            return i >= 0 ? i : -i - 1;
        }
    }
}
