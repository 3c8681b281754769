package dev.walnut;

/** Bytes that were durable are damaged: mid-log corruption. */
public final class WalCorruptionException extends WalDamageException {
    private static final long serialVersionUID = 1L;

    public WalCorruptionException(DamageSite site) {
        super(site);
        assert site.kind() == DamageKind.CORRUPTION;
    }
}
