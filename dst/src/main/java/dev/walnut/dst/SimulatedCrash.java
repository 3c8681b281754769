package dev.walnut.dst;

/**
 * Thrown at the I/O call where the simulated process dies. An {@link Error}, so that no
 * {@code catch (IOException | RuntimeException)} in the store can take it for a failure it handles.
 */
public final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    public SimulatedCrash(String where) {
        super("simulated crash at " + where, null, false, false);
    }
}
