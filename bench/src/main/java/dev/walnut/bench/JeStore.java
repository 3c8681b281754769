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
import java.util.function.BiConsumer;

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
    public void delete(byte[] key) {
        Transaction txn = env.beginTransaction(null, asyncTxn);
        db.delete(txn, new DatabaseEntry(key));
        txn.commit();
    }

    @Override
    public void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor) {
        DatabaseEntry key = new DatabaseEntry(fromInclusive);
        DatabaseEntry value = new DatabaseEntry();
        try (Cursor cursor = db.openCursor(null, null)) {
            OperationStatus status = cursor.getSearchKeyRange(key, value, LockMode.READ_UNCOMMITTED);
            for (int i = 0; i < limit && status == OperationStatus.SUCCESS; i++) {
                visitor.accept(key.getData(), value.getData());
                status = cursor.getNext(key, value, LockMode.READ_UNCOMMITTED);
            }
        }
    }

    @Override
    public void syncAll() {
        env.flushLog(true);
    }

    /** The cleaner is off for the harness; an operator's compaction is cleanLog until it frees nothing, then a forced checkpoint. */
    @Override
    public String compact() {
        while (env.cleanLog() > 0) {
            // each pass migrates the live records of the files it cleaned
        }
        env.checkpoint(new com.sleepycat.je.CheckpointConfig().setForce(true));
        return "cleanLog() until 0 + forced checkpoint";
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
