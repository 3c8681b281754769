package dev.walnut.dst;

/** The oracle caught the store breaking a promise; {@code kind} groups violations in the summary. */
public final class Violation extends AssertionError {
    private static final long serialVersionUID = 1L;
    private final String kind;

    public Violation(String kind, String detail) {
        super(kind + ": " + detail);
        this.kind = kind;
    }

    public Violation(String kind, String detail, Throwable cause) {
        this(kind, detail);
        initCause(cause);
    }

    public String kind() {
        return kind;
    }
}
