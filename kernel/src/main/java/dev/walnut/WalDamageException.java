package dev.walnut;

import java.io.IOException;

/**
 * The log is damaged in a way the open's {@link RecoveryPolicy} does not accept; the open wrote
 * nothing to the log. {@link WalCorruptionException} is the subclass for damage to durable bytes; a
 * plain {@code WalDamageException} is a torn tail refused by {@link RecoveryPolicy#STRICT}.
 */
public class WalDamageException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient DamageSite site;

    /**
     * Creates the exception; the message names the kind, the file, the offset and the evidence.
     *
     * @param site the damage that failed the open
     */
    public WalDamageException(DamageSite site) {
        super(site.kind() + " (file=" + site.file() + " offset=" + site.offsetBytes() + "): " + site.evidence());
        this.site = site;
    }

    /**
     * The damage that failed the open. Not serialized: null after deserialization.
     *
     * @return the site, with its classification and evidence
     */
    public DamageSite site() {
        return site;
    }

    /**
     * The damaged file.
     *
     * @return the file name, as in {@link DamageSite#file()}
     */
    public String file() {
        return site.file();
    }

    /**
     * Where the damage starts.
     *
     * @return the offset in {@link #file()}
     */
    public long offsetBytes() {
        return site.offsetBytes();
    }
}
