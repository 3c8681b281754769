package dev.walnut.dst;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one seed: its figures, its I/O trace (hash and event count, for the determinism
 * proof), and the violation if the oracle caught one.
 */
public record RunResult(long seed, boolean mitigated, int steps, long crashes, long reopens, long expectedCorruptions,
                        Map<FaultKind, Long> faults, long traceHash, long traceEvents, Violation violation,
                        List<String> lastSteps, Reads reads) {

    /** The read oracle: gets and scans checked with faults live, and the failures injected faults explained. */
    public record Reads(long checked, long rotRefusals, long readErrors) {
        Reads plus(Reads o) {
            return new Reads(checked + o.checked, rotRefusals + o.rotRefusals, readErrors + o.readErrors);
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
