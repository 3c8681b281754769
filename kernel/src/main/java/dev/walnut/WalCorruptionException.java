package dev.walnut;

/** Bytes that were durable are damaged: mid-log corruption. */
public final class WalCorruptionException extends WalDamageException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message names the file, the offset and the evidence.
     *
     * @param site the damage, of kind {@link DamageKind#CORRUPTION}
     */
    public WalCorruptionException(DamageSite site) {
        super(site);
        assert site.kind() == DamageKind.CORRUPTION;
    }
}
