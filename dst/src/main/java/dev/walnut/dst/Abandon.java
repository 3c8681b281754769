package dev.walnut.dst;

import dev.walnut.Walnut;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;

/**
 * Drops a store whose process "died" in a simulated crash. A real crash ends its threads with the
 * process; here the store object lives on, and {@code close()} must not be called (it would seal
 * the log, and a commit interrupted by the crash leaves its queue blocked). So its background
 * executor is stopped directly, or a long simulation would leak one thread per crash.
 */
final class Abandon {
    private static final Field BACKGROUND = find();

    private Abandon() {
    }

    static void store(Walnut db) {
        if (db == null || BACKGROUND == null) {
            return;
        }
        try {
            ((ExecutorService) BACKGROUND.get(db)).shutdownNow();
        } catch (IllegalAccessException | ClassCastException e) {
            throw new IllegalStateException("cannot stop an abandoned store's background thread: " + e, e);
        }
    }

    private static Field find() {
        try {
            Field f = Walnut.class.getDeclaredField("background");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
