package dev.walnut.bench;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import com.sleepycat.je.TransactionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Berkeley DB JE, transactional, with the checkpointer and cleaner off so a reopen after a halt
 * replays its whole log, as Walnut does. One transaction per batch.
 */
final class JeStore implements KvStore {

    private final Environment env;
    private final Database db;
    private final TransactionConfig syncTxn = new TransactionConfig().setDurability(Durability.COMMIT_SYNC);
    private final TransactionConfig asyncTxn = new TransactionConfig().setDurability(Durability.COMMIT_WRITE_NO_SYNC);

    private JeStore(Environment env, Database db) {
        this.env = env;
        this.db = db;
    }

    static JeStore open(Path dir, Settings settings) throws IOException {
        Files.createDirectories(dir);
        EnvironmentConfig config = new EnvironmentConfig().setAllowCreate(true).setTransactional(true);
        config.setDurability(Durability.COMMIT_WRITE_NO_SYNC);
        config.setConfigParam(EnvironmentConfig.ENV_RUN_CHECKPOINTER, "false")
                .setConfigParam(EnvironmentConfig.ENV_RUN_CLEANER, "false");
        Environment env = new Environment(dir.toFile(), config);
        Database db = env.openDatabase(null, "bench",
                new DatabaseConfig().setAllowCreate(true).setTransactional(true));
        return new JeStore(env, db);
    }

    @Override
    public void write(byte[][] keys, byte[][] values, int count, boolean sync) {
        Transaction txn = env.beginTransaction(null, sync ? syncTxn : asyncTxn);
        for (int i = 0; i < count; i++) {
            db.put(txn, new DatabaseEntry(keys[i]), new DatabaseEntry(values[i]));
        }
        txn.commit();
    }

    @Override
    public byte[] get(byte[] key) {
        DatabaseEntry value = new DatabaseEntry();
        OperationStatus status = db.get(null, new DatabaseEntry(key), value, LockMode.READ_UNCOMMITTED);
        return status == OperationStatus.SUCCESS ? value.getData() : null;
    }

    @Override
    public long scan(byte[] fromInclusive, int limit) {
        long bytes = 0;
        DatabaseEntry key = new DatabaseEntry(fromInclusive);
        DatabaseEntry value = new DatabaseEntry();
        try (Cursor cursor = db.openCursor(null, null)) {
            OperationStatus status = cursor.getSearchKeyRange(key, value, LockMode.READ_UNCOMMITTED);
            for (int i = 0; i < limit && status == OperationStatus.SUCCESS; i++) {
                bytes += key.getSize() + value.getSize();
                status = cursor.getNext(key, value, LockMode.READ_UNCOMMITTED);
            }
        }
        return bytes;
    }

    @Override
    public void syncAll() {
        env.flushLog(true);
    }

    @Override
    public String describe() {
        return "je " + com.sleepycat.je.JEVersion.CURRENT_VERSION + " (transactional, checkpointer and cleaner off)";
    }

    @Override
    public void close() {
        db.close();
        env.close();
    }
}
