package dev.walnut;

import java.io.IOException;

/** The log is damaged in a way the open's {@link RecoveryPolicy} does not accept. */
public class WalDamageException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient DamageSite site;

    public WalDamageException(DamageSite site) {
        super(site.kind() + " (file=" + site.file() + " offset=" + site.offsetBytes() + "): " + site.evidence());
        this.site = site;
    }

    public DamageSite site() {
        return site;
    }

    public String file() {
        return site.file();
    }

    public long offsetBytes() {
        return site.offsetBytes();
    }
}
