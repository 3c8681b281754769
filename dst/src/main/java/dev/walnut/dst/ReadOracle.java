package dev.walnut.dst;

import dev.walnut.DamageSite;
import dev.walnut.WalCorruptionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a read (a get, a cursor step, a compaction's copy) that failed: it must be a
 * {@link WalCorruptionException} whose site covers a bit that rotted at rest, or an
 * {@link IOException} that a {@link FaultKind#READ_ERROR} the storage injected into this call on
 * the file it names explains. Anything else throws {@link Violation}.
 */
final class ReadOracle {

    private final RecordLedger ledger;
    private final List<SimulatedStorage.Rot> rots = new ArrayList<>();
    /** Damage an open did not see because it read the data file from its index file: it stays. */
    private final List<Expectation.Latent> latent = new ArrayList<>();
    private long latentRefusals;
    private long rotRefusals;
    private long readErrors;

    ReadOracle(RecordLedger ledger) {
        this.ledger = ledger;
    }

    /** Reads (or compactions) that refused a rotted value, as they must. */
    long rotRefusals() {
        return rotRefusals;
    }

    /** Reads that failed on an injected read error, as they may. */
    long readErrors() {
        return readErrors;
    }

    /** Reads that refused a value damaged in a data file the open read from its index file. */
    long latentRefusals() {
        return latentRefusals;
    }

    void latent(List<Expectation.Latent> damage) {
        latent.addAll(damage);
    }

    void rotted(SimulatedStorage.Rot rot) {
        rots.add(rot);
    }

    /** Every rot still in place, forgotten: the caller heals them. */
    List<SimulatedStorage.Rot> healAll() {
        List<SimulatedStorage.Rot> out = List.copyOf(rots);
        rots.clear();
        return out;
    }

    /**
     * Why {@code failure} of {@code what} is allowed, as a note; throws {@link Violation} if no
     * injected fault explains it.
     *
     * @param failuresBefore the ledger's failure count when the read began
     */
    String explain(String what, Throwable failure, int failuresBefore) {
        if (failure instanceof WalCorruptionException corruption) {
            return explainCorruption(what, corruption);
        }
        if (!(failure instanceof IOException)) {
            throw new Violation("read-fails-unexpectedly", what + " failed with neither a WalCorruptionException nor"
                    + " an IOException: " + failure, failure);
        }
        RecordLedger.Failure first = ledger.firstFailureSince(failuresBefore);
        if (first == null || first.kind() != FaultKind.READ_ERROR) {
            throw new Violation("read-error-without-fault", what + " failed, but no read error was injected into"
                    + " it: " + failure + " firstFailure=" + first, failure);
        }
        if (!String.valueOf(failure.getMessage()).contains(first.file())) {
            throw new Violation("read-error-misattributed", what + " failed with an I/O error that does not name"
                    + " the file the injected error struck: file=" + first.file() + " actual=" + failure, failure);
        }
        readErrors++;
        return "the injected " + first + ": " + failure.getMessage();
    }

    private String explainCorruption(String what, WalCorruptionException e) {
        DamageSite site = e.site();
        for (SimulatedStorage.Rot rot : rots) {
            boolean covered = rot.name().equals(site.file()) && rot.offsetBytes() >= site.offsetBytes()
                    && rot.offsetBytes() < site.offsetBytes() + Math.max(1, site.lengthBytes());
            if (covered) {
                rotRefusals++;
                return rot + " inside the refused " + site;
            }
        }
        for (Expectation.Latent l : latent) {
            if (l.overlaps(site.file(), site.offsetBytes(), site.lengthBytes())) {
                latentRefusals++;
                return "damage unseen at open (" + l.evidence() + ") inside the refused " + site;
            }
        }
        throw new Violation("read-corruption-without-rot", what + " reported corruption no rotted bit explains: "
                + e.getMessage() + " rots=" + rots + " latent=" + latent, e);
    }
}
