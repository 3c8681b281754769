#!/usr/bin/env bash
# Runs Walnut's benchmark profile in one command and writes bench/results/latest.md (+ JMH JSON).
#   bench/run-short.sh            short profile: under 15 minutes on the 2-core reference machine
#   bench/run-short.sh long       adds 2 GiB logs and a 4M-record peers scenario (opt-in, slow)
#   bench/run-short.sh smoke      about a minute, tiny sizes (long and smoke write to bench/results/<profile>/)
# Environment: SKIP_BUILD=1 reuses bench/target/benchmarks.jar; WALNUT_BENCH_DIR (default
# /tmp/walnut-bench) holds generated logs and stores, ~4 GiB for the short profile; JAVA picks the JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-short}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -pl bench -am package -DskipTests
fi
WALNUT_COMMIT="$(bench/commit-id.sh)"
export WALNUT_COMMIT
out=bench/results
[[ "$profile" == short ]] || out="bench/results/$profile"   # the committed figures are the short profile's
exec "${JAVA:-java}" -cp bench/target/benchmarks.jar dev.walnut.bench.ShortProfile \
  "$profile" "$out" "${WALNUT_BENCH_DIR:-/tmp/walnut-bench}"
