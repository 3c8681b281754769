package dev.walnut.ratis;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.Walnut;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.server.protocol.TermIndex;

/** Answers the read queries of {@link WireFormat} from a local store. */
final class Queries {

    /** Entries one scan reply may carry. */
    static final int SCAN_ENTRIES_MAX = 10_000;
    /** Key and value bytes one scan reply may carry; the page ends after the entry that crosses it. */
    static final int SCAN_REPLY_BYTES_MAX = 4 * 1024 * 1024;

    private Queries() {
    }

    static byte[] answer(Walnut store, ByteBuffer in, TermIndex applied) throws java.io.IOException {
        try {
            byte kind = in.get();
            switch (kind) {
                case WireFormat.GET:
                    return WireFormat.encodeGetReply(store.get(StoreKeys.user(WireFormat.bytes(in, "key"))));
                case WireFormat.SCAN:
                    return scanUser(store, WireFormat.optional(in, "from"), WireFormat.optional(in, "to"),
                            WireFormat.length(in, "limit"));
                case WireFormat.EXPORT:
                    return export(store, WireFormat.optional(in, "after"), WireFormat.length(in, "limit"));
                case WireFormat.APPLIED:
                    return new WireFormat.Out().u64(applied == null ? -1 : applied.getTerm())
                            .u64(applied == null ? -1 : applied.getIndex()).toByteArray();
                default:
                    throw WireFormat.malformed("unknown query kind: actual=" + kind);
            }
        } catch (BufferUnderflowException e) {
            throw WireFormat.malformed("query ends early");
        }
    }

    private static byte[] scanUser(Walnut store, byte[] from, byte[] to, int limit) {
        byte[] rawFrom = from == null ? new byte[] {StoreKeys.USER} : StoreKeys.user(from);
        byte[] rawTo = to == null ? StoreKeys.userEnd() : StoreKeys.user(to);
        return page(store, KeyRange.between(rawFrom, rawTo), limit, true);
    }

    private static byte[] export(Walnut store, byte[] after, int limit) {
        KeyRange range = after == null ? KeyRange.all() : KeyRange.all().startAfter(after);
        return page(store, range, limit, false);
    }

    private static byte[] page(Walnut store, KeyRange range, int limit, boolean stripNamespace) {
        int max = Math.min(Math.max(limit, 1), SCAN_ENTRIES_MAX);
        List<KeyValue> entries = new ArrayList<>();
        long bytes = 0;
        boolean more = false;
        try (Cursor c = store.scan(range)) {
            while (c.hasNext()) {
                if (entries.size() == max || bytes >= SCAN_REPLY_BYTES_MAX) {
                    more = true;
                    break;
                }
                KeyValue kv = c.next();
                entries.add(stripNamespace ? new KeyValue(StoreKeys.strip(kv.key()), kv.value()) : kv);
                bytes += kv.key().length + kv.value().length;
            }
        }
        return WireFormat.encodeScanReply(entries, more);
    }
}
