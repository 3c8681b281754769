package dev.walnut.recovery;

import dev.walnut.DamageAction;
import dev.walnut.DamageKind;
import dev.walnut.DamageSite;

/** Builders for damage sites, so every one says file, offset and evidence the same way. */
final class Damage {
    private Damage() {
    }

    static DamageSite torn(String file, long offsetBytes, long lengthBytes, String evidence) {
        return new DamageSite(file, offsetBytes, lengthBytes, DamageKind.TORN_TAIL, evidence, DamageAction.NONE);
    }

    static DamageSite corruption(String file, long offsetBytes, long lengthBytes, String evidence) {
        return new DamageSite(file, offsetBytes, lengthBytes, DamageKind.CORRUPTION, evidence, DamageAction.NONE);
    }
}
