package dev.walnut.dst;

import dev.walnut.io.WalStorage;
import dev.walnut.io.WalStorageContractTest;

/** The kernel's seam contract, faults off: the simulated storage is a storage first. */
class SimulatedStorageContractTest extends WalStorageContractTest {

    @Override
    protected WalStorage newStorage() {
        return new SimulatedStorage("contract", random.nextLong());
    }

    @Override
    protected boolean simulatesPowerLoss() {
        return true;
    }

    @Override
    protected WalStorage afterPowerLoss(WalStorage storage) {
        ((SimulatedStorage) storage).crash(CrashMode.POWER_LOSS);
        return storage;
    }
}
