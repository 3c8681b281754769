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
        super(requireCorruption(site));
    }

    private static DamageSite requireCorruption(DamageSite site) {
        if (site.kind() != DamageKind.CORRUPTION) {
            throw new IllegalArgumentException("not a corruption site: kind=" + site.kind() + " " + site);
        }
        return site;
    }
}
