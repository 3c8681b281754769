package dev.walnut.dst;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one seed: its figures, its I/O trace (hash and event count, for the determinism
 * proof), and the violation if the oracle caught one.
 */
public record RunResult(long seed, boolean mitigated, int steps, long crashes, long reopens, long expectedCorruptions,
                        Map<FaultKind, Long> faults, long traceHash, long traceEvents, Violation violation,
                        List<String> lastSteps, Reads reads, Indexes indexes) {

    /** The read oracle: gets and scans checked with faults live, and the failures injected faults explained. */
    public record Reads(long checked, long rotRefusals, long readErrors) {
        Reads plus(Reads o) {
            return new Reads(checked + o.checked, rotRefusals + o.rotRefusals, readErrors + o.readErrors);
        }
    }

    /**
     * Index files (hint files): written by the "write index files" action, its calls that failed on
     * an injected fault, damaged ones the next open reported rebuilt, opens that read a damaged data
     * file from its intact index file (the damage unseen at open), and reads that then refused a
     * damaged value.
     */
    public record Indexes(long written, long writesFailed, long damageReported, long hiddenDamageOpens,
                          long hiddenDamageRefusals) {
        static final Indexes NONE = new Indexes(0, 0, 0, 0, 0);

        Indexes plus(Indexes o) {
            return new Indexes(written + o.written, writesFailed + o.writesFailed, damageReported + o.damageReported,
                    hiddenDamageOpens + o.hiddenDamageOpens, hiddenDamageRefusals + o.hiddenDamageRefusals);
        }
    }

    public boolean passed() {
        return violation == null;
    }

    /** The one command that replays this seed with every step printed. */
    public String replayCommand() {
        return "java -jar dst/target/walnut-dst.jar --seeds " + seed + (mitigated ? " --mitigate-known-bugs" : "")
                + " --verbose";
    }
}
