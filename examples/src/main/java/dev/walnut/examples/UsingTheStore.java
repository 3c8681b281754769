package dev.walnut.examples;

// README:begin
import dev.walnut.*;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

public class UsingTheStore {
    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
    static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "data");
        try (Walnut db = Walnut.open(dir)) {                              // creates the directory if needed
            db.put(bytes("user:1"), bytes("ada"));                        // durable when it returns (SYNC)
            System.out.println("get user:1 = " + text(db.get(bytes("user:1"))));   // null when absent

            db.write(new WriteBatch()                                     // atomic: all or nothing after a crash
                    .put(bytes("user:2"), bytes("grace"))
                    .put(bytes("user:3"), bytes("edsger"))
                    .delete(bytes("user:1")));

            try (Cursor c = db.scan(KeyRange.prefix(bytes("user:")))) {   // ordered as unsigned bytes
                while (c.hasNext()) {
                    KeyValue kv = c.next();
                    System.out.println("scan " + text(kv.key()) + " = " + text(kv.value()));
                }
            }
            try (Cursor c = db.scan(KeyRange.prefix(bytes("user:")).reversed())) {  // highest key first
                c.seek(bytes("user:2"));                                  // jump; previous() walks back
                System.out.println("reversed from user:2: " + text(c.next().key()));
            }

            try (Snapshot snap = db.snapshot();                           // one consistent view; writers never wait
                 Cursor c = snap.scan(KeyRange.all())) {                  // close the cursor before the snapshot
                db.put(bytes("user:4"), bytes("barbara"));                // not seen by the snapshot
                long seen = 0;
                while (c.hasNext()) { c.next(); seen++; }
                System.out.println("snapshot at sequence " + snap.sequence() + " sees " + seen + " keys");
            }

            db.write(new WriteBatch().put(bytes("tmp"), bytes("x")), Durability.MANUAL); // no fsync now
            db.sync();                                                    // every acknowledged write durable
            db.compact();                                                 // rewrite live state, retire old segments
            long sequence = db.checkpoint(dir.resolveSibling(dir.getFileName() + "-backup")); // consistent copy
            System.out.println("checkpoint at sequence " + sequence);
            Stats s = db.stats();                                         // live keys and bytes, log bytes, fsyncs
            System.out.println("live keys " + s.liveKeys());
            System.out.println("recovered: " + db.recoveryReport().describe()); // what open() found and did
        }
        try (Walnut ro = Walnut.openReadOnly(dir)) {                      // changes, creates and locks no file
            System.out.println("read-only get user:4 = " + text(ro.get(bytes("user:4"))));
        }
    }
}
// README:end
