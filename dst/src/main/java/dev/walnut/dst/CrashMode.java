package dev.walnut.dst;

/** What a crash leaves behind. */
public enum CrashMode {
    /** The process dies, the machine keeps running: every byte in the page cache stays. */
    PROCESS_KILL,
    /** Power loss: unsynced data is kept, dropped or torn per block; unsynced directory changes may be lost. */
    POWER_LOSS,
    /** The worst power loss: every unsynced byte, size change and directory change is lost. */
    POWER_LOSS_UNSYNCED_LOST
}
