package dev.walnut.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/** CI's share of YCSB: both bindings serve every core workload the runner uses, and the runner's command works. */
class YcsbSmokeTest {

    static final Path WORKLOADS = Path.of("ycsb", "workloads");
    static final int RECORDS = 300;
    static final int OPERATIONS = 300;

    @TempDir
    Path dir;

    @Test
    void bothBindingsServeWorkloadsABCEFWithEveryOperationOk() throws Exception {
        for (DB binding : List.of(new WalnutYcsb(), new RocksDbYcsb())) {
            for (String workload : List.of("a", "b", "c", "e", "f")) {
                Properties p = workload(workload);
                p.setProperty("walnut.dir", dir.resolve("walnut-" + workload).toString());
                p.setProperty("rocksdb.dir", dir.resolve("rocksdb-" + workload).toString());
                StatusCounter counter = drive(binding.getClass().getDeclaredConstructor().newInstance(), p);
                assertEquals(Map.of(), counter.notOk, binding.getClass().getSimpleName() + " workload " + workload);
                assertTrue(counter.fieldsRead >= 10L * counter.reads, "reads return every field: " + counter);
            }
        }
    }

    @Test
    void aRecordReadsBackTheFieldsAskedForAfterAnUpdateOfOne() throws Exception {
        Properties p = new Properties();
        p.setProperty("walnut.dir", dir.resolve("w").toString());
        WalnutYcsb db = new WalnutYcsb();
        db.setProperties(p);
        db.init();
        try {
            assertEquals(Status.OK, db.insert("usertable", "user1", StringByteIterator.getByteIteratorMap(
                    Map.of("field0", "a", "field1", "b"))));
            assertEquals(Status.OK, db.update("usertable", "user1", StringByteIterator.getByteIteratorMap(
                    Map.of("field1", "c"))));
            Map<String, ByteIterator> all = new HashMap<>();
            assertEquals(Status.OK, db.read("usertable", "user1", null, all));
            assertEquals(Map.of("field0", "a", "field1", "c"), StringByteIterator.getStringMap(all));
            Map<String, ByteIterator> one = new HashMap<>();
            assertEquals(Status.OK, db.read("usertable", "user1", Set.of("field1"), one));
            assertEquals(Map.of("field1", "c"), StringByteIterator.getStringMap(one));
            assertEquals(Status.NOT_FOUND, db.read("usertable", "user2", null, new HashMap<>()));
            assertEquals(Status.BAD_REQUEST, db.read("othertable", "user1", null, new HashMap<>()));
        } finally {
            db.cleanup();
        }
    }

    @Test
    void runnerLoadsAndRunsBothEnginesInChildJvmsAndReports() throws Exception {
        Path out = dir.resolve("out");
        List<YcsbRunner.Run> runs = YcsbRunner.run(new YcsbRunner.Plan(RECORDS, OPERATIONS, List.of("a"), List.of(1),
                "256m", out, dir.resolve("data"), WORKLOADS));
        assertEquals(4, runs.size(), runs.toString()); // a load and a run per engine
        for (YcsbRunner.Run run : runs) {
            assertTrue(run.opsPerSec() > 0 && run.hwmKiB() > 0 && run.errors() == 0, run.toString());
            assertTrue(run.load() || run.openMs() > 0, "a run reopens the loaded store: " + run);
        }
        String md = Files.readString(out.resolve("ycsb.md"));
        assertTrue(md.contains("SMALL RUN") && md.contains("| A | 1 |"), md);
    }

    private static Properties workload(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(WORKLOADS.resolve("workload" + name))) {
            p.load(in);
        }
        p.setProperty("recordcount", Integer.toString(RECORDS));
        p.setProperty("operationcount", Integer.toString(OPERATIONS));
        return p;
    }

    /** Loads and runs one workload single-threaded through YCSB's own CoreWorkload, counting statuses. */
    private static StatusCounter drive(DB binding, Properties p) throws Exception {
        Measurements.setProperties(p);
        CoreWorkload workload = new CoreWorkload();
        workload.init(p);
        StatusCounter db = new StatusCounter(binding);
        db.setProperties(p);
        db.init();
        try {
            Object state = workload.initThread(p, 0, 1);
            for (int i = 0; i < RECORDS; i++) {
                assertTrue(workload.doInsert(db, state));
            }
            for (int i = 0; i < OPERATIONS; i++) {
                assertTrue(workload.doTransaction(db, state));
            }
        } finally {
            db.cleanup();
            workload.cleanup();
        }
        return db;
    }

    /** Passes every call to the binding and counts what did not come back OK. */
    static final class StatusCounter extends DB {
        final DB inner;
        final Map<String, Integer> notOk = new HashMap<>();
        long reads;
        long fieldsRead;

        StatusCounter(DB inner) {
            this.inner = inner;
        }

        @Override
        public void setProperties(Properties p) {
            super.setProperties(p);
            inner.setProperties(p);
        }

        @Override
        public void init() throws site.ycsb.DBException {
            inner.init();
        }

        @Override
        public void cleanup() throws site.ycsb.DBException {
            inner.cleanup();
        }

        private Status count(String op, Status s) {
            if (!s.isOk()) {
                notOk.merge(op + "=" + s.getName(), 1, Integer::sum);
            }
            return s;
        }

        @Override
        public Status read(String t, String k, Set<String> f, Map<String, ByteIterator> r) {
            Status s = inner.read(t, k, f, r);
            reads++;
            fieldsRead += r.size();
            return count("read", s);
        }

        @Override
        public Status scan(String t, String k, int n, Set<String> f, Vector<HashMap<String, ByteIterator>> r) {
            Status s = inner.scan(t, k, n, f, r);
            assertTrue(r.size() <= n && (r.isEmpty() || r.get(0).size() == 10), "scan of " + n + ": " + r.size());
            return count("scan", s);
        }

        @Override
        public Status update(String t, String k, Map<String, ByteIterator> v) {
            return count("update", inner.update(t, k, v));
        }

        @Override
        public Status insert(String t, String k, Map<String, ByteIterator> v) {
            return count("insert", inner.insert(t, k, v));
        }

        @Override
        public Status delete(String t, String k) {
            return count("delete", inner.delete(t, k));
        }

        @Override
        public String toString() {
            return "reads=" + reads + " fieldsRead=" + fieldsRead + " notOk=" + notOk;
        }
    }
}
